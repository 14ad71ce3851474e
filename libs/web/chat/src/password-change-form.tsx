'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { LIMITS } from '@chatbox/contracts';
import { api } from '@chatbox/web-data-access';
import { Icon } from '@chatbox/web-ui';
import { useEarlyTyping } from './use-early-typing';
import { useFormSubmit } from './use-form-submit';

/**
 * The words of the two places a password changes: `reset` is /password after an administrator
 * reset it (the one-time password they passed on, and until then the server lets this login do
 * nothing else); `profile` is the profile page, where the user changes their own at will.
 */
const WORDS = {
  reset: {
    labels: { currentPassword: 'One-time password', newPassword: 'New password' },
    currentHint: 'The password the administrator gave you',
    title: 'Choose a new password',
    submit: 'Set new password',
  },
  profile: {
    labels: { currentPassword: 'Current password', newPassword: 'New password' },
    currentHint: 'The one you log in with now',
    title: 'Change password',
    submit: 'Change password',
  },
} as const;

type Values = { currentPassword: string; newPassword: string };
const EMPTY: Values = { currentPassword: '', newPassword: '' };

export function PasswordChangeForm({ variant = 'reset' }: { variant?: keyof typeof WORDS }) {
  const router = useRouter();
  const words = WORDS[variant];
  const [values, setValues] = useState(EMPTY);
  const [changed, setChanged] = useState(false);
  const formRef = useEarlyTyping(setValues);
  const { submit, fields, error, busy, settle, clearField } = useFormSubmit(async () => {
    await api.changePassword(values);
    if (variant === 'reset') return router.replace('/chat');
    // the profile page stays: the form empties and says so, ready for another change
    setValues(EMPTY);
    setChanged(true);
    settle();
  }, 'Something went wrong');

  const field = (name: keyof Values, autoComplete: string, hint: string) => (
    <label className="field">
      <span>{words.labels[name]}</span>
      <input
        name={name}
        type="password"
        value={values[name]}
        autoComplete={autoComplete}
        onChange={(e) => {
          const { value } = e.target;
          setValues((v) => ({ ...v, [name]: value }));
          setChanged(false);
          clearField(name);
        }}
        aria-invalid={!!fields[name]}
        aria-describedby={`${name}-note`}
      />
      <span id={`${name}-note`} className={fields[name] ? 'field-error' : 'field-hint'}>
        {fields[name] ? `${words.labels[name]} ${fields[name]}` : hint}
      </span>
    </label>
  );

  const body = (
    <>
      {field('currentPassword', 'current-password', words.currentHint)}
      {field('newPassword', 'new-password', `At least ${LIMITS.passwordMin} characters, not a common password`)}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </>
  );

  if (variant === 'profile') {
    return (
      <form ref={formRef} className="form profile-section" onSubmit={submit} noValidate aria-labelledby="password-title">
        <h2 id="password-title">{words.title}</h2>
        {body}
        <div className="form-actions">
          <p className="field-hint" role="status">
            {changed ? 'Password changed. Use the new one next time you log in.' : ''}
          </p>
          <button type="submit" className="primary" disabled={busy}>
            {words.submit}
          </button>
        </div>
      </form>
    );
  }
  return (
    <main className="auth-page">
      <form ref={formRef} className="auth-card form" onSubmit={submit} noValidate aria-label={words.title}>
        <div className="brand">
          <Icon name="chat" size={26} /> ChatBox
        </div>
        <h1>{words.title}</h1>
        <p className="notice" role="status">
          An administrator reset your password. Choose a new one to continue.
        </p>
        {body}
        <button type="submit" className="primary wide" disabled={busy}>
          {words.submit}
        </button>
      </form>
    </main>
  );
}
