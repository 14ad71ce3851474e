import { Controller, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import busboy from 'busboy';
import type { Readable, Transform } from 'node:stream';
import type { TAttachment } from '@chatbox/contracts';
import { AuthPrincipal, JwtAuthGuard, Principal } from '@chatbox/server-accounts';
import { AppError } from '@chatbox/server-common';
import { AttachmentUploadService } from '@chatbox/server-chat';
import { RateLimit } from '@chatbox/server-ratelimit';
import { TransferBudget } from './transfer-budget';
import { TransferSlots } from './transfer-slots';

/** The multipart field holding the file (API.md "Attachments"). */
export const UPLOAD_FIELD = 'file';

/**
 * POST /api/uploads: the multipart body is parsed as it arrives (busboy) and the file streamed
 * on to AttachmentUploadService. Other fields are ignored, a second file too. A large body waits
 * for a transfer slot (TransferSlots) before it is read, and is read at the pace of the process's
 * byte budget (TransferBudget).
 */
@Controller('uploads')
@UseGuards(JwtAuthGuard)
export class UploadsController {
  constructor(
    private readonly uploads: AttachmentUploadService,
    private readonly slots: TransferSlots,
    private readonly budget: TransferBudget,
  ) {}

  @Post()
  @RateLimit('upload_user')
  async upload(@Principal() p: AuthPrincipal, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TAttachment> {
    try {
      const bytes = contentLength(req);
      await this.slots.acquire(res, bytes);
      const attachment = await this.receive(req, this.budget.pacer(bytes), (file, name) => this.uploads.upload(p.userId, file, name));
      res.status(201);
      return attachment;
    } catch (err) {
      // refused before the body ended (too large): what is still coming is read and dropped, so
      // the client gets to read the answer, and the connection closes after it
      if (!req.complete) {
        res.setHeader('Connection', 'close');
        req.unpipe();
        req.resume();
      }
      throw err;
    }
  }

  /** Runs `store` on the first file of the request's `file` field (read through `pacer` if any); 400 when there is none. */
  private receive(req: Request, pacer: Transform | undefined, store: (file: Readable, name: string | undefined) => Promise<TAttachment>): Promise<TAttachment> {
    return new Promise<TAttachment>((resolve, reject) => {
      let parser: busboy.Busboy;
      try {
        // the size limit is the service's: it refuses the first byte over it
        // names are UTF-8 as browsers send them (busboy's default reads them as latin1)
        parser = busboy({ headers: req.headers, limits: { files: 1, fields: 20 }, defParamCharset: 'utf8' });
      } catch {
        reject(AppError.validation({ [UPLOAD_FIELD]: 'must be sent as multipart/form-data' }));
        return;
      }
      let started = false;
      parser.on('file', (field, file, info) => {
        if (field !== UPLOAD_FIELD || started) {
          file.resume();
          return;
        }
        started = true;
        // a client that goes away mid-file ends nothing: fail the file, so nothing stays behind
        req.once('close', () => {
          if (!req.complete) file.destroy(new Error('the client went away during the upload'));
        });
        store(file, info.filename).then(resolve, (err: unknown) => {
          file.resume();
          reject(err);
        });
      });
      parser.on('error', () => reject(AppError.validation({ [UPLOAD_FIELD]: 'is not a readable multipart body' })));
      parser.on('close', () => {
        if (!started) reject(AppError.validation({ [UPLOAD_FIELD]: 'is required: a multipart field named "file"' }));
      });
      // a paused pacer leaves the request unread: TCP holds the client back
      (pacer ? req.pipe(pacer) : req).pipe(parser);
    });
  }
}

/** The request body's announced size; undefined when it is sent in chunks of unknown total. */
function contentLength(req: Request): number | undefined {
  const header = req.headers['content-length'];
  return header === undefined || !/^\d+$/.test(header) ? undefined : Number(header);
}
