'use client';
import { useEffect, useState } from 'react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import type { TUser } from '@chatbox/contracts';
import { api, ApiError, setPasswordChangeHandler, setUnauthorizedHandler } from '@chatbox/web-data-access';
import { Avatar } from '@chatbox/web-ui';
import { PasswordChangeForm } from '../password-change-form';
import { DownloadDataLink } from '../download-data-link';
import { DisplayNameForm } from './display-name-form';
import { ReceiptSharingField } from './receipt-sharing-field';

/** /profile: the one place for the user's own account: name, password, receipts, their data. */
export function ProfileApp() {
  const router = useRouter();
  const [me, setMe] = useState<TUser | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    setUnauthorizedHandler(() => router.replace('/login?expired=1'));
    setPasswordChangeHandler(() => router.replace('/password'));
    api.me().then(setMe, (err: unknown) => {
      if (err instanceof ApiError && err.status === 401) router.replace('/login');
      else setFailure(err instanceof Error ? err.message : 'Cannot load ChatBox');
    });
  }, [router]);

  if (failure) return <div className="splash">{failure}</div>;
  if (!me) return <div className="splash">Loading…</div>;
  return (
    <main className="admin-page profile-page">
      <header className="admin-header">
        <h1>
          <Avatar id={me.id} name={me.displayName} size={32} /> <bdi>{me.displayName}</bdi>
        </h1>
        <Link href="/chat" className="admin-back">
          Back to the chat
        </Link>
      </header>
      <p className="field-hint">@{me.username}</p>
      <DisplayNameForm me={me} onSaved={setMe} />
      <PasswordChangeForm variant="profile" />
      <section className="profile-section" aria-labelledby="privacy-title">
        <h2 id="privacy-title">Privacy</h2>
        <ReceiptSharingField />
      </section>
      <section className="profile-section" aria-labelledby="data-title">
        <h2 id="data-title">Your data</h2>
        <p className="field-hint">A zip of your account, your memberships and every message of your conversations.</p>
        <DownloadDataLink className="profile-download" />
      </section>
    </main>
  );
}
