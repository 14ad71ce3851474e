'use client';
import { EXPORT_URL } from '@chatbox/web-data-access';

/** "Download my data": everything the account can take out of ChatBox, as a zip (GET /api/me/export). */
export function DownloadDataLink({ className = 'sidebar-button sidebar-link' }: { className?: string }) {
  return (
    <a className={className} href={EXPORT_URL} download>
      Download my data
    </a>
  );
}
