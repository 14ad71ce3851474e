/** The first bytes of a file that sniffing reads (file-type's own default sample size). */
export const SNIFF_BYTES = 4100;

/** Images that get a thumbnail and lose their metadata: what every browser shows. */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];
export const isImageType = (type: string): type is ImageType => (IMAGE_TYPES as readonly string[]).includes(type);

// file-type is an ES module; this CommonJS build loads it on first use
let fileType: Promise<typeof import('file-type', { with: { 'resolution-mode': 'import' } })> | undefined;

/**
 * The content type of a file from its first bytes (file-type's magic numbers), never from the
 * name or the type the client claims: an HTML page named `.png` is text, a PNG named `.txt` an
 * image. What has no magic number is `text/plain` when it is UTF-8 text (HTML and scripts
 * included: served as such, they never run) and `application/octet-stream` otherwise.
 */
export async function sniffContentType(head: Buffer): Promise<string> {
  fileType ??= import('file-type');
  const found = await (await fileType).fileTypeFromBuffer(head);
  if (found) return found.mime;
  return looksLikeText(head) ? 'text/plain' : 'application/octet-stream';
}

function looksLikeText(head: Buffer): boolean {
  if (head.length === 0) return false;
  // the sample may end inside a multi-byte character: ignore up to 3 bytes of it
  for (let cut = 0; cut <= Math.min(3, head.length - 1); cut++) {
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - cut));
      // control characters other than tab, line breaks and form feed: binary after all
      return ![...text].some((c) => {
        const code = c.charCodeAt(0);
        return code < 0x09 || (code > 0x0d && code < 0x20) || code === 0x7f;
      });
    } catch {
      // not valid there: try a shorter sample
    }
  }
  return false;
}

/**
 * Shown in the browser (Content-Disposition inline): images, audio, video and PDF; everything
 * else is a download. SVG is not: it is a document that can hold scripts.
 */
export const isShownInline = (type: string): boolean =>
  (type.startsWith('image/') && type !== 'image/svg+xml') || type.startsWith('audio/') || type.startsWith('video/') || type === 'application/pdf';
