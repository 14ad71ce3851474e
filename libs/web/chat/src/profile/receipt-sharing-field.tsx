'use client';
import { useEffect, useState } from 'react';
import type { TMeSettings } from '@chatbox/contracts';
import { api } from '@chatbox/web-data-access';

/**
 * Whether others see the user's read receipts. Self-contained: it reads GET /api/me/settings
 * when shown and saves each change with PATCH /api/me at once (no Save button to forget).
 */
export function ReceiptSharingField() {
  const [settings, setSettings] = useState<TMeSettings | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const failed = (err: unknown) => setError(err instanceof Error ? err.message : 'That did not work');

  useEffect(() => {
    api.settings().then(setSettings, failed);
  }, []);

  const share = async (on: boolean) => {
    const before = settings;
    setSettings({ shareReadReceipts: on });
    setSaving(true);
    setError(null);
    try {
      await api.updateMe({ shareReadReceipts: on });
    } catch (err) {
      setSettings(before); // not saved: show what is stored
      failed(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="field">
      <label className="check-field">
        <input
          type="checkbox"
          checked={settings?.shareReadReceipts ?? false}
          disabled={settings === null || saving}
          aria-describedby="share-receipts-help"
          onChange={(e) => void share(e.target.checked)}
        />{' '}
        Share read receipts
      </label>
      <p id="share-receipts-help" className="field-hint">
        {settings === null && !error
          ? 'Loading…'
          : 'When on, others see “Seen by” with your name under the messages you have read. When off, they do not.'}
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
