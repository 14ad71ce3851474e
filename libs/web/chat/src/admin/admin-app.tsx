'use client';
import { useState } from 'react';
import Link from 'next/link';
import { Icon } from '@chatbox/web-ui';
import { useSignedInUser } from '../use-signed-in-user';
import { AuditPanel } from './audit-panel';
import { SignupPanel } from './signup-panel';
import { UsersPanel } from './users-panel';

const TABS = [
  { id: 'users', label: 'Users' },
  { id: 'signup', label: 'Sign-up' },
  { id: 'audit', label: 'Audit log' },
] as const;
type Tab = (typeof TABS)[number]['id'];

/** /admin: only for admins (the server refuses everyone else anyway); users, sign-up, audit log. */
export function AdminApp() {
  const { me, failure } = useSignedInUser();
  const [tab, setTab] = useState<Tab>('users');

  if (failure) return <div className="splash">{failure}</div>;
  if (!me) return <div className="splash">Loading…</div>;
  if (me.role !== 'admin') {
    return (
      <main className="admin-page">
        <h1>Administration</h1>
        <p className="notice">Only administrators can open this page.</p>
        <Link href="/chat">Back to the chat</Link>
      </main>
    );
  }
  return (
    <main className="admin-page">
      <header className="admin-header">
        <h1>
          <Icon name="chat" size={22} /> Administration
        </h1>
        <Link href="/chat" className="admin-back">
          Back to the chat
        </Link>
      </header>
      <nav className="admin-tabs" aria-label="Administration">
        {TABS.map((t) => (
          <button key={t.id} type="button" aria-current={tab === t.id ? 'page' : undefined} className={tab === t.id ? 'active' : ''} onClick={() => setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </nav>
      {tab === 'users' && <UsersPanel me={me} />}
      {tab === 'signup' && <SignupPanel />}
      {tab === 'audit' && <AuditPanel />}
    </main>
  );
}
