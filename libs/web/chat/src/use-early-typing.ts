'use client';
import { type Dispatch, type SetStateAction, useEffect, useRef } from 'react';

/**
 * Keeps what the user typed into a server-rendered form before the page's code ran: the form's
 * state starts empty, and its first re-render would otherwise write that emptiness back into the
 * fields. Returns the ref for the `<form>`; its inputs' `name`s are the keys of the state.
 */
export function useEarlyTyping<V extends Record<string, string>>(setValues: Dispatch<SetStateAction<V>>) {
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const elements = form.current?.elements;
    if (!elements) return;
    setValues((values) => {
      const typed: Record<string, string> = { ...values };
      for (const name of Object.keys(values)) {
        const input = elements.namedItem(name);
        if (input instanceof HTMLInputElement && input.value) typed[name] = input.value;
      }
      return typed as V;
    });
  }, [setValues]);
  return form;
}
