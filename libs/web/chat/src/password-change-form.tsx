'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { LIMITS } from '@chatbox/contracts';
import { api } from '@chatbox/web-data-access';
import { Icon } from '@chatbox/web-ui';
import { useFormSubmit } from './use-form-submit';

const LABELS = { currentPassword: 'One-time password', newPassword: 'New password' } as const;

/**
 * After an administrator reset the password: the one-time password they passed on, then a new
 * one of the user's own. Until then the server lets this login do nothing else.
 */
export function PasswordChangeForm() {
  const router = useRouter();
  const [values, setValues] = useState({ currentPassword: '', newPassword: '' });
  const { submit, fields, error, busy } = useFormSubmit(async () => {
    await api.changePassword(values);
    router.replace('/chat');
  }, 'Something went wrong');

  const field = (name: keyof typeof values, autoComplete: string, hint: string) => (
    <label className="field">
      <span>{LABELS[name]}</span>
      <input
        name={name}
        type="password"
        value={values[name]}
        autoComplete={autoComplete}
        onChange={(e) => setValues({ ...values, [name]: e.target.value })}
        aria-invalid={!!fields[name]}
        aria-describedby={`${name}-note`}
      />
      <span id={`${name}-note`} className={fields[name] ? 'field-error' : 'field-hint'}>
        {fields[name] ? `${LABELS[name]} ${fields[name]}` : hint}
      </span>
    </label>
  );

  return (
    <main className="auth-page">
      <form className="auth-card form" onSubmit={submit} noValidate aria-label="Choose a new password">
        <div className="brand">
          <Icon name="chat" size={26} /> ChatBox
        </div>
        <h1>Choose a new password</h1>
        <p className="notice" role="status">
          An administrator reset your password. Choose a new one to continue.
        </p>
        {field('currentPassword', 'current-password', 'The password the administrator gave you')}
        {field('newPassword', 'new-password', `At least ${LIMITS.passwordMin} characters, not a common password`)}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary wide" disabled={busy}>
          Set new password
        </button>
      </form>
    </main>
  );
}
