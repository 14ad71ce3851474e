import { LIMITS, type TAttachment } from '@chatbox/contracts';
import { ApiError } from './api-client';
import { UploadCancelled, uploadFile, UploadProgress, UploadSource } from './upload-client';

export type UploadStatus = 'uploading' | 'done' | 'failed';

/** One file on its way into a message, as the composer shows it. */
export type UploadItem = {
  readonly key: string;
  readonly name: string;
  readonly size: number;
  readonly contentType: string;
  /** A local preview of an image (an object URL) while it uploads; null for other files. */
  readonly previewUrl: string | null;
  readonly status: UploadStatus;
  /** Bytes sent so far (of `size`). */
  readonly sent: number;
  readonly attachment: TAttachment | null;
  /** Why it failed, in the user's words (a 413 names the server's limit). */
  readonly error: string | null;
  /** A failure that may go away when tried again (not a file that is too large). */
  readonly retryable: boolean;
};

export type Uploader = (file: UploadSource, onProgress: UploadProgress, signal: AbortSignal) => Promise<TAttachment>;

export type UploadTrayOptions = {
  upload: Uploader;
  /** A preview URL for an image file, and its release; none outside a browser. */
  preview?: { create: (file: UploadSource) => string | null; revoke: (url: string) => void };
  max?: number;
};

/**
 * The files a composer is attaching: each uploads at once, with its progress, cancel (which
 * aborts the request) and its own error. What is done goes with the next send; at most `max`
 * per message, the rest refused with a sentence saying so.
 */
export class UploadTray {
  private list: readonly UploadItem[] = [];
  private readonly files = new Map<string, UploadSource>();
  private readonly aborts = new Map<string, AbortController>();
  private readonly listeners = new Set<() => void>();
  private nextKey = 0;
  private refused: string | null = null;
  private readonly max: number;

  constructor(private readonly opts: UploadTrayOptions) {
    this.max = opts.max ?? LIMITS.attachmentsPerMessageMax;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The current list; a new array after every change (a snapshot for useSyncExternalStore). */
  items = (): readonly UploadItem[] => this.list;

  /** Why files were refused by the last add (over the limit), until the tray changes again. */
  refusal = (): string | null => this.refused;

  /** Starts uploading `files`; answers why some were not added (over the limit), else null. */
  add(files: readonly UploadSource[]): string | null {
    const room = Math.max(0, this.max - this.list.length);
    for (const file of files.slice(0, room)) {
      const key = `u${++this.nextKey}`;
      const isImage = file.type.startsWith('image/');
      this.files.set(key, file);
      this.list = [
        ...this.list,
        { key, name: file.name || 'file', size: file.size, contentType: file.type, previewUrl: isImage ? (this.opts.preview?.create(file) ?? null) : null, status: 'uploading', sent: 0, attachment: null, error: null, retryable: false },
      ];
      this.start(key);
    }
    const refused = files.length - room;
    this.refused = refused <= 0 ? null : `A message takes at most ${this.max} files; ${refused === 1 ? '1 file was' : `${refused} files were`} not added.`;
    this.emit();
    return this.refused;
  }

  /** Cancels an upload in progress (aborting the request) or removes a finished or failed one. */
  remove(key: string): void {
    this.aborts.get(key)?.abort();
    this.drop([key]);
  }

  retry(key: string): void {
    if (!this.files.has(key) || !this.list.some((i) => i.key === key && i.status === 'failed' && i.retryable)) return;
    this.patch(key, { status: 'uploading', sent: 0, error: null });
    this.start(key);
  }

  /** True while any file is still uploading: the message waits for it. */
  busy(): boolean {
    return this.list.some((i) => i.status === 'uploading');
  }

  /** The uploaded attachments, in the order they were added. */
  ready(): TAttachment[] {
    return this.list.flatMap((i) => (i.status === 'done' && i.attachment ? [i.attachment] : []));
  }

  /** Hands the uploaded attachments to a message being sent and clears them; failed ones stay, with their error. */
  take(): TAttachment[] {
    const taken = this.ready();
    this.drop(this.list.filter((i) => i.status === 'done').map((i) => i.key));
    return taken;
  }

  /** Cancels everything (logout). */
  clear(): void {
    for (const a of this.aborts.values()) a.abort();
    this.drop(this.list.map((i) => i.key));
  }

  private start(key: string): void {
    const file = this.files.get(key);
    if (!file) return;
    const abort = new AbortController();
    this.aborts.set(key, abort);
    // the request is a little larger than the file (the multipart framing): its share of the file
    const onProgress = (sent: number, total: number) => this.patch(key, { sent: total > 0 ? Math.min(file.size, Math.round((file.size * sent) / total)) : 0 });
    this.opts.upload(file, onProgress, abort.signal).then(
      (attachment) => {
        if (this.aborts.get(key) !== abort) return;
        this.aborts.delete(key);
        this.patch(key, { status: 'done', sent: file.size, attachment });
      },
      (err: unknown) => {
        if (this.aborts.get(key) !== abort || err instanceof UploadCancelled) return;
        this.aborts.delete(key);
        const tooLarge = err instanceof ApiError && err.code === 'payload_too_large';
        this.patch(key, { status: 'failed', error: uploadFailureText(err), retryable: !tooLarge });
      },
    );
  }

  private patch(key: string, change: Partial<UploadItem>): void {
    if (!this.list.some((i) => i.key === key)) return;
    this.list = this.list.map((i) => (i.key === key ? { ...i, ...change } : i));
    this.emit();
  }

  private drop(keys: readonly string[]): void {
    if (keys.length === 0) return;
    const gone = new Set(keys);
    for (const item of this.list) if (gone.has(item.key) && item.previewUrl) this.opts.preview?.revoke(item.previewUrl);
    for (const key of keys) {
      this.files.delete(key);
      this.aborts.delete(key);
    }
    this.list = this.list.filter((i) => !gone.has(i.key));
    this.refused = null;
    this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}

/** A tray that uploads to the api, with object-URL previews of images. */
export const browserUploadTray = (): UploadTray =>
  new UploadTray({
    upload: (file, onProgress, signal) => uploadFile(file, { onProgress, signal }),
    preview: { create: (file) => URL.createObjectURL(file), revoke: (url) => URL.revokeObjectURL(url) },
  });

/** One tray per composer (a conversation's, or a thread's): its files wait there while the user looks elsewhere. */
export class UploadTrays {
  private readonly trays = new Map<string, UploadTray>();

  constructor(private readonly create: () => UploadTray = browserUploadTray) {}

  for(composerKey: string): UploadTray {
    let tray = this.trays.get(composerKey);
    if (!tray) this.trays.set(composerKey, (tray = this.create()));
    return tray;
  }

  clear(): void {
    for (const tray of this.trays.values()) tray.clear();
    this.trays.clear();
  }
}

/** Why an upload failed, in plain words: too large says the server's limit, the rest what happened. */
export function uploadFailureText(err: unknown): string {
  if (!(err instanceof ApiError)) return 'Upload failed: the server did not answer.';
  switch (err.code) {
    case 'payload_too_large':
      return `Too large: ${sentence(err.message)}`;
    case 'network':
      return 'Upload failed: no connection.';
    case 'rate_limited':
      return 'Upload failed: too many uploads at once; try again in a moment.';
    case 'unauthorized':
      return 'Upload failed: you are logged out.';
    default:
      return `Upload failed: ${sentence(err.message)}`;
  }
}

/** The server's sentence continuing ours: "the file is larger than the limit of 25 MB." */
const sentence = (text: string): string => `${text.charAt(0).toLowerCase()}${text.slice(1)}`.replace(/\.?$/, '.');
