import type { ReactNode } from 'react';

export const metadata = { title: 'ChatBox', description: 'Team chat you can trust with your conversations' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
