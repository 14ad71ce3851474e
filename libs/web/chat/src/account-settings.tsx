'use client';
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { TMeSettings } from '@chatbox/contracts';
import { api } from '@chatbox/web-data-access';
import { Dialog } from '@chatbox/web-ui';

/**
 * "Settings" beside "Log out": the signed-in user's own settings (for now: whether others see
 * their read receipts). Self-contained: it reads GET /api/me/settings when opened and saves
 * each change with PATCH /api/me at once, so it can move to a profile page as it is.
 */
export function AccountSettings() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="sidebar-button small" onClick={() => setOpen(true)}>
        Settings
      </button>
      {/* out of the sidebar's markup: a dialog belongs to the page, not to its navigation */}
      {open && createPortal(<SettingsDialog onClose={() => setOpen(false)} />, document.body)}
    </>
  );
}

function SettingsDialog({ onClose }: { onClose: () => void }) {
  const [settings, setSettings] = useState<TMeSettings | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const failed = (err: unknown) => setError(err instanceof Error ? err.message : 'That did not work');

  useEffect(() => {
    api.settings().then(setSettings, failed);
  }, []);
  // the dialog opened while the box was disabled (loading) and could not take focus: it takes it now
  const box = useRef<HTMLInputElement>(null);
  const loaded = settings !== null;
  useEffect(() => {
    if (loaded) box.current?.focus();
  }, [loaded]);

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
    <Dialog title="Settings" onClose={onClose}>
      <div className="field">
        <label className="check-field">
          <input
            type="checkbox"
            ref={box}
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
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="primary" onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
