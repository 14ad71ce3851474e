'use client';
import { useEffect, useState } from 'react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { INVITE_QUERY_PARAM, LIMITS, type TRegistrationMode } from '@chatbox/contracts';
import { api } from '@chatbox/web-data-access';
import { Icon } from '@chatbox/web-ui';
import { useEarlyTyping } from './use-early-typing';
import { useFormSubmit } from './use-form-submit';

type Mode = 'login' | 'register';

const FIELD_LABELS: Record<string, string> = { username: 'Username', password: 'Password', displayName: 'Display name', inviteCode: 'Invite code' };

/**
 * Sign-up and login: the api's field errors are shown next to the field they name. Sign-up asks
 * the server who may register: with invites it takes the code (filled from an invite link's
 * `?invite=`), closed it says so instead of offering a form that cannot work.
 */
export function AuthForm({ mode }: { mode: Mode }) {
  const router = useRouter();
  const [values, setValues] = useState({ username: '', password: '', displayName: '', inviteCode: '' });
  const [notice, setNotice] = useState<string | null>(null);
  const [registration, setRegistration] = useState<TRegistrationMode | null>(null);
  const formRef = useEarlyTyping(setValues);

  useEffect(() => {
    const query = new URLSearchParams(window.location.search);
    if (query.has('expired')) setNotice('Your session has ended. Please log in again.');
    const invite = query.get(INVITE_QUERY_PARAM);
    if (invite) setValues((v) => ({ ...v, inviteCode: invite }));
    if (mode === 'register') {
      api.registration().then(
        (info) => setRegistration(info.registration),
        () => setRegistration('open'), // the server answers for itself on submit
      );
    }
  }, [mode]);

  const { submit, fields, error, busy } = useFormSubmit(async () => {
    const session =
      mode === 'login'
        ? await api.login({ username: values.username, password: values.password })
        : await api.register({
            username: values.username,
            password: values.password,
            ...(values.displayName.trim() ? { displayName: values.displayName } : {}),
            // also before the server said who may sign up: a quick user with an invite link is not refused
            ...(values.inviteCode.trim() ? { inviteCode: values.inviteCode.trim() } : {}),
          });
    router.replace(session.passwordChangeRequired ? '/password' : '/chat');
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
        onChange={(e) => {
          // an update, not this render's values: right after the page starts, its effects (the
          // invite link's code, what was typed early) are queued but not yet rendered here
          const { value } = e.target;
          setValues((v) => ({ ...v, [name]: value }));
        }}
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
  if (register && registration === 'closed') {
    return (
      <main className="auth-page">
        <section className="auth-card form" aria-labelledby="closed-title">
          <div className="brand">
            <Icon name="chat" size={26} /> ChatBox
          </div>
          <h1 id="closed-title">Sign-up is closed</h1>
          <p className="notice" role="status">
            This server does not take new accounts right now. Ask an administrator for an invite link.
          </p>
          <p className="auth-switch">
            Already have an account? <Link href="/login">Log in</Link>
          </p>
        </section>
      </main>
    );
  }
  return (
    <main className="auth-page">
      <form ref={formRef} className="auth-card form" onSubmit={submit} noValidate aria-label={register ? 'Sign up' : 'Log in'}>
        <div className="brand">
          <Icon name="chat" size={26} /> ChatBox
        </div>
        <h1>{register ? 'Create your account' : 'Log in'}</h1>
        {notice && <p className="notice">{notice}</p>}
        {register && registration === 'invite' && (
          <>
            <p className="notice" role="status">
              Sign-up on this server needs an invite from an administrator.
            </p>
            {field('inviteCode', { autoComplete: 'off', hint: values.inviteCode ? 'From your invite link' : 'Paste the code of your invite link' })}
          </>
        )}
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
