import Link from 'next/link';

export const metadata = { title: 'Page not found · ChatBox' };

/** Any address the app does not know: says so and offers the way back. */
export default function NotFound() {
  return (
    <main className="auth-page">
      <div className="auth-card form">
        <h1>Page not found</h1>
        <p className="muted">There is nothing at this address.</p>
        <Link href="/chat" className="button-link">
          Back to ChatBox
        </Link>
      </div>
    </main>
  );
}
