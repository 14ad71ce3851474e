'use client';
import { useSyncExternalStore } from 'react';
import type { UploadItem, UploadTray } from '@chatbox/web-data-access';
import { formatBytes } from '@chatbox/web-util';
import { Icon } from '@chatbox/web-ui';

/** The tray's files as the composer shows them (one subscription per composer). */
export function useUploads(tray: UploadTray): { items: readonly UploadItem[]; refusal: string | null } {
  const items = useSyncExternalStore(tray.subscribe, tray.items, tray.items);
  const refusal = useSyncExternalStore(tray.subscribe, tray.refusal, tray.refusal);
  return { items, refusal };
}

/**
 * The files on their way into the next message: each with its preview or icon, name, size, a
 * progress bar while it uploads, its own error when it failed (with Retry), and a button that
 * cancels the upload or takes the file out.
 */
export function UploadList({ tray, items, refusal }: { tray: UploadTray; items: readonly UploadItem[]; refusal: string | null }) {
  if (items.length === 0 && !refusal) return null;
  return (
    <div className="uploads">
      {items.length > 0 && (
        <ul className="upload-list" aria-label="Attached files">
          {items.map((item) => (
            <li key={item.key} className={`upload upload-${item.status}`} data-testid="upload" data-status={item.status}>
              {item.previewUrl ? (
                // decorative: the name beside it says what it is
                <img className="upload-preview" src={item.previewUrl} alt="" />
              ) : (
                <span className="upload-preview upload-icon">
                  <Icon name="file" size={22} />
                </span>
              )}
              <div className="upload-text">
                <bdi className="upload-name" title={item.name}>
                  {item.name}
                </bdi>
                <UploadState item={item} />
              </div>
              {item.status === 'failed' && item.retryable && (
                <button type="button" className="link-button" onClick={() => tray.retry(item.key)}>
                  Retry
                </button>
              )}
              <button
                type="button"
                className="icon-button upload-remove"
                aria-label={item.status === 'uploading' ? `Cancel upload of ${item.name}` : `Remove ${item.name}`}
                title={item.status === 'uploading' ? 'Cancel upload' : 'Remove'}
                onClick={() => tray.remove(item.key)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {refusal && (
        <p className="upload-refusal" role="alert">
          {refusal}
        </p>
      )}
    </div>
  );
}

function UploadState({ item }: { item: UploadItem }) {
  switch (item.status) {
    case 'uploading': {
      const percent = item.size > 0 ? Math.floor((item.sent / item.size) * 100) : 0;
      return (
        <span className="upload-progress-row">
          <progress className="upload-progress" max={100} value={percent} aria-label={`Uploading ${item.name}`} />
          <span className="muted upload-size">
            {percent}% of {formatBytes(item.size)}
          </span>
        </span>
      );
    }
    case 'done':
      return <span className="muted upload-size">{formatBytes(item.size)}</span>;
    case 'failed':
      return (
        <span className="upload-error" role="alert">
          {item.error}
        </span>
      );
  }
}
