'use client';
import { useEffect, useState } from 'react';
import { INVITE_QUERY_PARAM, type TInvite, type TRegistrationMode } from '@chatbox/contracts';
import { adminApi } from '@chatbox/web-data-access';
import { CopyButton } from './copy-button';

const MODES: { mode: TRegistrationMode; label: string; hint: string }[] = [
  { mode: 'open', label: 'Open', hint: 'Anyone who finds the site can create an account.' },
  { mode: 'invite', label: 'Invite only', hint: 'Only people with an invite link can create an account.' },
  { mode: 'closed', label: 'Closed', hint: 'Nobody can create an account.' },
];

const EXPIRIES = [
  { hours: 24, label: '1 day' },
  { hours: 72, label: '3 days' },
  { hours: 168, label: '7 days' },
];

/** The link that opens sign-up with the invite's code filled in. */
const inviteLink = (code: string) => `${window.location.origin}/register?${INVITE_QUERY_PARAM}=${encodeURIComponent(code)}`;

/** Who may sign up, and invite links (each registers one account, until it expires). */
export function SignupPanel() {
  const [mode, setMode] = useState<TRegistrationMode | null>(null);
  const [hours, setHours] = useState(72);
  const [invites, setInvites] = useState<TInvite[]>([]);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    adminApi.settings().then(
      (s) => setMode(s.registration),
      (err: unknown) => setError(err instanceof Error ? err.message : 'Cannot load the settings'),
    );
  }, []);

  /** Shows the choice at once; the server's answer confirms it, or puts the old one back. */
  const choose = async (next: TRegistrationMode) => {
    const before = mode;
    setError(null);
    setStatus(null);
    setMode(next);
    try {
      setMode((await adminApi.setRegistration(next)).registration);
      setStatus(`Sign-up is now ${MODES.find((m) => m.mode === next)?.label.toLowerCase()}.`);
    } catch (err) {
      setMode(before);
      setError(err instanceof Error ? err.message : 'That did not work');
    }
  };

  const invite = async () => {
    setError(null);
    try {
      const created = await adminApi.createInvite(hours);
      setInvites((list) => [created, ...list]);
      setStatus('Invite link created. Copy it now: it is not shown again.');
    } catch (err) {
      setError(err instanceof Error ? err.message : 'That did not work');
    }
  };

  return (
    <section className="admin-panel" aria-labelledby="signup-title">
      <h2 id="signup-title">Sign-up</h2>
      <fieldset className="field">
        <legend>Who may create an account</legend>
        {MODES.map((m) => (
          <label key={m.mode} className="radio-row">
            <input type="radio" name="registration" value={m.mode} checked={mode === m.mode} disabled={mode === null} onChange={() => void choose(m.mode)} />
            <span>
              <strong>{m.label}</strong> <span className="muted">{m.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <p className="admin-status" role="status">
        {status}
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <h3>Invite links</h3>
      {mode !== 'invite' && <p className="muted">Invite links are needed while sign-up is invite only; they work in every mode but closed.</p>}
      <div className="copy-row">
        <label className="field inline">
          <span>Valid for</span>
          <select value={hours} onChange={(e) => setHours(Number(e.target.value))}>
            {EXPIRIES.map((e) => (
              <option key={e.hours} value={e.hours}>
                {e.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" onClick={() => void invite()}>
          Create invite link
        </button>
      </div>
      <ul className="admin-list">
        {invites.map((i) => (
          <li key={i.code} className="invite">
            <div className="copy-row">
              <input readOnly value={inviteLink(i.code)} aria-label="Invite link" className="mono" onFocus={(e) => e.target.select()} />
              <CopyButton text={inviteLink(i.code)} label="Copy link" />
            </div>
            <span className="muted">One account, until {new Date(i.expiresAt).toLocaleString()}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
