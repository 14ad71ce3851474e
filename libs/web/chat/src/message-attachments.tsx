'use client';
import { KeyboardEvent, useState } from 'react';
import type { TAttachment } from '@chatbox/contracts';
import { formatBytes, isInlineImage, thumbnailBox } from '@chatbox/web-util';
import { Dialog, Icon } from '@chatbox/web-ui';

/**
 * A message's files: images as thumbnails that open the full image in a viewer, anything else as
 * a card with its name, size and a download. The thumbnail's box is reserved from the image's
 * dimensions, so the list does not jump when it loads.
 */
export function MessageAttachments({ attachments }: { attachments: readonly TAttachment[] }) {
  const [viewing, setViewing] = useState<TAttachment | null>(null);
  if (attachments.length === 0) return null;
  const images = attachments.filter(isInlineImage);
  const files = attachments.filter((a) => !isInlineImage(a));
  return (
    <div className="attachments">
      {images.length > 0 && (
        <ul className="attachment-images" aria-label="Images">
          {images.map((a) => {
            const box = thumbnailBox(a);
            return (
              <li key={a.id}>
                <button type="button" className="attachment-thumb" aria-label={`Open image ${a.name}`} onClick={() => setViewing(a)}>
                  <img src={a.thumbnailUrl ?? a.url} alt={a.name} width={box.width} height={box.height} loading="lazy" />
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {files.length > 0 && (
        <ul className="attachment-files" aria-label="Files">
          {files.map((a) => (
            <li key={a.id}>
              <FileCard attachment={a} />
            </li>
          ))}
        </ul>
      )}
      {viewing && <ImageViewer image={viewing} onClose={() => setViewing(null)} />}
    </div>
  );
}

function FileCard({ attachment: a }: { attachment: TAttachment }) {
  return (
    <div className="attachment-card">
      <Icon name="file" size={28} />
      <div className="attachment-card-text">
        <bdi className="attachment-name" title={a.name}>
          {a.name}
        </bdi>
        <span className="muted attachment-size">{formatBytes(a.size)}</span>
      </div>
      <a className="attachment-download" href={a.url} download={a.name} aria-label={`Download ${a.name}, ${formatBytes(a.size)}`} title="Download">
        <Icon name="download" size={18} />
      </a>
    </div>
  );
}

/**
 * The full image in a modal dialog: Escape or Close shuts it and focus goes back to the
 * thumbnail (Dialog does both); a download link for the original file.
 */
function ImageViewer({ image, onClose }: { image: TAttachment; onClose: () => void }) {
  // Escape closes the viewer only, not the thread panel it may have opened from
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    onClose();
  };
  return (
    <div onKeyDown={onKeyDown}>
    <Dialog title={<bdi>{image.name}</bdi>} label={`Image ${image.name}`} onClose={onClose} wide>
      <div className="image-viewer">
        <img src={image.url} alt={image.name} width={image.width ?? undefined} height={image.height ?? undefined} />
        <p className="image-viewer-meta">
          <span className="muted">
            {image.width && image.height ? `${image.width} × ${image.height} · ` : ''}
            {formatBytes(image.size)}
          </span>
          <a href={image.url} download={image.name}>
            <Icon name="download" /> Download
          </a>
        </p>
      </div>
    </Dialog>
    </div>
  );
}
