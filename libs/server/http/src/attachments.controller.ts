import { Controller, Get, Param, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AuthPrincipal, JwtAuthGuard, Principal } from '@chatbox/server-accounts';
import { AttachmentDownload, AttachmentReadService, isShownInline } from '@chatbox/server-chat';
import { parseByteRange } from './byte-range';
import { IdParam } from './id-param';
import { TransferBudget } from './transfer-budget';
import { TransferSlots } from './transfer-slots';

/**
 * An attachment's bytes (API.md "Attachments"), to whoever may read it (else 404), streamed from
 * the FileStore with their length; a large file waits for a transfer slot (TransferSlots) and is
 * sent at the pace of the process's byte budget (TransferBudget). The browser is kept from treating them as a page of ours: the
 * sniffed type with `nosniff`, a sandboxing CSP, and anything but images, audio, video and PDF
 * as a download. The cookie authenticates as for any GET, so <img> and <video> tags work.
 */
@Controller('attachments/:id')
@UseGuards(JwtAuthGuard)
export class AttachmentsController {
  constructor(
    private readonly attachments: AttachmentReadService,
    private readonly slots: TransferSlots,
    private readonly budget: TransferBudget,
  ) {}

  /** `:name` is for the browser's "save as" only. Range requests get 206 (or 416). */
  @Get('file/:name')
  async file(@Principal() p: AuthPrincipal, @IdParam('id') id: string, @Param('name') _name: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const attachment = await this.attachments.find(p.userId, id);
    const range = parseByteRange(req.get('range'), attachment.size);
    res.setHeader('Accept-Ranges', 'bytes');
    if (range === 'unsatisfiable') {
      res.status(416).setHeader('Content-Range', `bytes */${attachment.size}`);
      res.end();
      return;
    }
    const length = range ? range.end - range.start + 1 : attachment.size;
    await this.slots.acquire(res, length);
    const download = await this.attachments.original(attachment, range);
    if (range) res.status(206).setHeader('Content-Range', `bytes ${range.start}-${range.end}/${download.size}`);
    await send(res, download, range ? length : download.size, this.budget.pacer(length));
  }

  @Get('thumbnail')
  async thumbnail(@Principal() p: AuthPrincipal, @IdParam('id') id: string, @Res() res: Response): Promise<void> {
    const download = await this.attachments.thumbnail(await this.attachments.find(p.userId, id));
    await send(res, download, download.size);
  }
}

/** Sends the file's headers and bytes, through `pacer` if any (a chunk not yet let through is not read from the store either). */
async function send(res: Response, download: AttachmentDownload, length: number, pacer?: Transform): Promise<void> {
  res.setHeader('Content-Type', download.contentType);
  res.setHeader('Content-Length', String(length));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // shown or not, the file is never a page of ours: no scripts, no requests, no forms
  res.setHeader('Content-Security-Policy', "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox");
  res.setHeader('Content-Disposition', contentDisposition(isShownInline(download.contentType) ? 'inline' : 'attachment', download.name));
  // private data: only the browser that asked keeps it, for a while (the default is no-store)
  res.setHeader('Cache-Control', 'private, max-age=3600');
  try {
    await (pacer ? pipeline(download.body, pacer, res) : pipeline(download.body, res));
  } catch {
    // the client went away mid-download: nothing to answer any more
  }
}

/** `inline` or `attachment` with the name: ASCII in `filename`, the exact name in `filename*` (RFC 6266). */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
