import type { ReactNode } from 'react';
import './globals.css';

// Rendered per request: each page's scripts carry that response's CSP nonce
// (tools/src/platform/page-headers.ts); a prerendered page would have none and be blocked.
export const dynamic = 'force-dynamic';

export const metadata = { title: 'ChatBox', description: 'Team chat you can trust with your conversations' };
export const viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
