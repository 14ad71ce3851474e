import { CSRF_HEADER, CSRF_HEADER_VALUE } from '@chatbox/contracts';
import type { TAttachment, TErrorBody } from '@chatbox/contracts';
import { ApiError } from './api-client';

/** A file the user picked, dropped or pasted (a DOM `File`; typed by what is used, so the server build needs no DOM library). */
export type UploadSource = Blob & { readonly name: string };

export type UploadProgress = (sent: number, total: number) => void;

/** The part of XMLHttpRequest an upload uses: fetch reports no upload progress, XHR does. */
export type UploadRequest = {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: unknown): void;
  abort(): void;
  readonly status: number;
  readonly responseText: string;
  withCredentials: boolean;
  readonly upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
};

const browserRequest = (): UploadRequest => {
  const Xhr = (globalThis as { XMLHttpRequest?: new () => UploadRequest }).XMLHttpRequest;
  if (!Xhr) throw new Error('Uploads need a browser');
  return new Xhr();
};

/** The error an upload rejects with when its signal aborted it (Cancel). */
export class UploadCancelled extends Error {
  constructor() {
    super('Upload cancelled');
  }
}

/**
 * POST /api/uploads (API.md "Attachments"): one file as multipart field `file`, with the bytes
 * sent reported as they go and the signal cancelling it. Resolves the stored `Attachment`;
 * rejects ApiError (413 names the server's limit) or UploadCancelled.
 */
export function uploadFile(file: UploadSource, opts: { onProgress?: UploadProgress; signal?: AbortSignal; newRequest?: () => UploadRequest } = {}): Promise<TAttachment> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new UploadCancelled());
    const xhr = (opts.newRequest ?? browserRequest)();
    const onAbort = () => xhr.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (fn: () => void) => {
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    xhr.open('POST', '/api/uploads');
    xhr.withCredentials = true;
    xhr.setRequestHeader(CSRF_HEADER, CSRF_HEADER_VALUE);
    xhr.upload.onprogress = (e) => opts.onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => settle(() => (xhr.status === 201 || xhr.status === 200 ? resolve(JSON.parse(xhr.responseText) as TAttachment) : reject(uploadError(xhr.status, xhr.responseText))));
    xhr.onerror = () => settle(() => reject(new ApiError(0, 'network', 'Cannot reach the server')));
    xhr.onabort = () => settle(() => reject(new UploadCancelled()));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/** The api's error answer to an upload as an ApiError; a 413 without a body still says what happened. */
export function uploadError(status: number, responseText: string): ApiError {
  let err: TErrorBody['error'] | undefined;
  try {
    err = (JSON.parse(responseText) as TErrorBody | null)?.error;
  } catch {
    err = undefined;
  }
  if (status === 413) return new ApiError(413, 'payload_too_large', err?.message ?? 'The file is larger than the server accepts');
  return new ApiError(status, err?.code ?? 'internal', err?.message ?? `Upload failed (${status})`, err?.fields, err?.retryAfterSeconds, err?.reason);
}
