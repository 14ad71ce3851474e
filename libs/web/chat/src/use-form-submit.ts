'use client';
import { FormEvent, useEffect, useState } from 'react';
import type { TFieldErrors } from '@chatbox/contracts';
import { ApiError } from '@chatbox/web-data-access';

/**
 * A form's submit handler: busy until the page's code runs (before that a click or Enter would
 * submit the form natively, every field, passwords too, into the address bar) and while `action`
 * runs; when it fails, the api's field errors (or its message when it names no field, or
 * `fallbackError`). On success the form stays busy: its action navigates away or closes it, or
 * calls `settle` when the form stays for another use.
 */
export function useFormSubmit(action: () => Promise<void>, fallbackError: string) {
  const [fields, setFields] = useState<TFieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFields({});
    setError(null);
    try {
      await action();
    } catch (err) {
      if (err instanceof ApiError) {
        setFields(err.fields);
        if (Object.keys(err.fields).length === 0) setError(err.message);
      } else setError(fallbackError);
      setBusy(false);
    }
  };
  /** The user changed a field: its old error no longer describes it. */
  const clearField = (name: string) => {
    if (fields[name] !== undefined) setFields(({ [name]: _gone, ...rest }) => rest);
  };
  /** The action succeeded and the form stays on screen: ready again. */
  const settle = () => setBusy(false);
  return { submit, fields, error, busy: busy || !hydrated, clearField, settle };
}
