'use client';
import { EXPORT_URL } from '@chatbox/web-data-access';

/** "Download my data": everything the account can take out of ChatBox, as a zip (GET /api/me/export). */
export function DownloadDataLink() {
  return (
    <a className="sidebar-button sidebar-link" href={EXPORT_URL} download>
      Download my data
    </a>
  );
}
