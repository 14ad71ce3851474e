import { Controller, Get, Logger, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { AuthPrincipal, JwtAuthGuard, Principal } from '@chatbox/server-accounts';
import { AccountExportService } from '@chatbox/server-chat';
import { RateLimit } from '@chatbox/server-ratelimit';
import { sendZip } from './zip-response';

@Controller('me/export')
@UseGuards(JwtAuthGuard)
export class ExportController {
  private readonly logger = new Logger(ExportController.name);

  constructor(private readonly exports: AccountExportService) {}

  /** 200 application/zip (see EXPORT_FILES), streamed. */
  @Get()
  @RateLimit('export_user')
  async download(@Principal() me: AuthPrincipal, @Res() res: Response): Promise<void> {
    const files = await this.exports.files(me.userId);
    const date = new Date().toISOString().slice(0, 10);
    await sendZip(res, `chatbox-export-${date}.zip`, files).catch((err: unknown) =>
      this.logger.warn(`export of user ${me.userId} stopped: ${err instanceof Error ? err.message : String(err)}`),
    );
  }
}
