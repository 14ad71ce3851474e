'use client';
import { useEffect, useState } from 'react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { LIMITS } from '@chatbox/contracts';
import { api } from '@chatbox/web-data-access';
import { Icon } from '@chatbox/web-ui';
import { useFormSubmit } from './use-form-submit';

type Mode = 'login' | 'register';

const FIELD_LABELS: Record<string, string> = { username: 'Username', password: 'Password', displayName: 'Display name' };

/** Sign-up and login: the api's field errors are shown next to the field they name. */
export function AuthForm({ mode }: { mode: Mode }) {
  const router = useRouter();
  const [values, setValues] = useState({ username: '', password: '', displayName: '' });
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (new URLSearchParams(window.location.search).has('expired')) setNotice('Your session has ended. Please log in again.');
  }, []);

  const { submit, fields, error, busy } = useFormSubmit(async () => {
    if (mode === 'login') await api.login({ username: values.username, password: values.password });
    else
      await api.register({
        username: values.username,
        password: values.password,
        ...(values.displayName.trim() ? { displayName: values.displayName } : {}),
      });
    router.replace('/chat');
  }, 'Something went wrong');

  const field = (name: keyof typeof values, props: { type?: string; autoComplete: string; hint?: string; maxLength?: number }) => (
    <label className="field">
      <span>{FIELD_LABELS[name]}</span>
      <input
        name={name}
        type={props.type ?? 'text'}
        value={values[name]}
        autoComplete={props.autoComplete}
        maxLength={props.maxLength}
        onChange={(e) => setValues({ ...values, [name]: e.target.value })}
        aria-invalid={!!fields[name]}
        aria-describedby={`${name}-note`}
      />
      {fields[name] ? (
        <span id={`${name}-note`} className="field-error">
          {FIELD_LABELS[name]} {fields[name]}
        </span>
      ) : (
        props.hint && (
          <span id={`${name}-note`} className="field-hint">
            {props.hint}
          </span>
        )
      )}
    </label>
  );

  const register = mode === 'register';
  return (
    <main className="auth-page">
      <form className="auth-card form" onSubmit={submit} noValidate aria-label={register ? 'Sign up' : 'Log in'}>
        <div className="brand">
          <Icon name="chat" size={26} /> ChatBox
        </div>
        <h1>{register ? 'Create your account' : 'Log in'}</h1>
        {notice && <p className="notice">{notice}</p>}
        {field('username', {
          autoComplete: 'username',
          hint: register ? `${LIMITS.usernameMin}-${LIMITS.usernameMax} letters, digits, "_", "." or "-"` : undefined,
        })}
        {register && field('displayName', { autoComplete: 'name', hint: 'How others see you (optional)', maxLength: LIMITS.displayNameMax })}
        {field('password', {
          type: 'password',
          autoComplete: register ? 'new-password' : 'current-password',
          hint: register ? `At least ${LIMITS.passwordMin} characters, not a common password` : undefined,
        })}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary wide" disabled={busy}>
          {register ? 'Sign up' : 'Log in'}
        </button>
        <p className="auth-switch">
          {register ? (
            <>
              Already have an account? <Link href="/login">Log in</Link>
            </>
          ) : (
            <>
              New here? <Link href="/register">Create an account</Link>
            </>
          )}
        </p>
      </form>
    </main>
  );
}
