'use client';
import Link from 'next/link';
import { Avatar } from '@chatbox/web-ui';
import { PasswordChangeForm } from '../password-change-form';
import { useSignedInUser } from '../use-signed-in-user';
import { DownloadDataLink } from '../download-data-link';
import { DisplayNameForm } from './display-name-form';
import { ReceiptSharingField } from './receipt-sharing-field';

/** /profile: the one place for the user's own account: name, password, receipts, their data. */
export function ProfileApp() {
  const { me, setMe, failure } = useSignedInUser();

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
