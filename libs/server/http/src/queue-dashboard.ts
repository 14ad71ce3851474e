import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { adminsOnly, extractToken, passwordChangeFirst, TokenService } from '@chatbox/server-accounts';
import { AppError } from '@chatbox/server-common';
import { FanoutQueue } from '@chatbox/server-jobs';
import { sendError } from './error.filter';

/** Where the BullMQ dashboard (bull-board) answers: its page, its JSON API (…/api/…) and its files. */
export const QUEUE_DASHBOARD_PATH = '/api/admin/queues';

/**
 * The dashboard's page pulls IBM Plex from Google Fonts: without `https:` in style-src and font-src
 * the browser never asks (no admin's address leaves for a third party; the page falls back to
 * system fonts). Its own scripts, styles and images come from our origin, out of @bull-board/ui.
 */
const dashboardCsp = helmet.contentSecurityPolicy({ directives: { 'style-src': ["'self'", "'unsafe-inline'"], 'font-src': ["'self'", 'data:'] } });

/**
 * Mounts bull-board for the fan-out queue. It is plain Express, outside Nest's guards, so it
 * authenticates itself like JwtAuthGuard + AdminGuard do (bearer header, else the session
 * cookie; a live session of an admin): 401 without one, 403 for anyone else. The app-wide
 * middlewares (helmet, CSRF, body parsing) ran before it, as for every api route. Mounted at
 * module init: after them, before Nest's not-found handler.
 */
@Injectable()
export class QueueDashboard implements OnModuleInit {
  private readonly logger = new Logger('QueueDashboard');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly tokens: TokenService,
    private readonly fanout: FanoutQueue,
  ) {}

  onModuleInit(): void {
    const board = new ExpressAdapter().setBasePath(QUEUE_DASHBOARD_PATH);
    createBullBoard({ queues: [new BullMQAdapter(this.fanout.queue)], serverAdapter: board, options: { uiConfig: { boardTitle: 'ChatBox queues' } } });
    this.adapterHost.httpAdapter.use(QUEUE_DASHBOARD_PATH, this.authenticateAdmin, dashboardCsp, board.getRouter());
  }

  private readonly authenticateAdmin = (req: Request, res: Response, next: NextFunction): void => {
    const token = extractToken(req);
    (token ? this.tokens.verify(token) : Promise.resolve(null)).then(
      (verified) => {
        if (!verified) return sendError(req, res, AppError.unauthorized(), this.logger);
        const { role, passwordChangeRequired } = verified.principal;
        if (passwordChangeRequired) return sendError(req, res, passwordChangeFirst(), this.logger);
        if (role !== 'admin') return sendError(req, res, adminsOnly(), this.logger);
        next();
      },
      (err: unknown) => sendError(req, res, err, this.logger), // database unavailable: 503, not a refusal
    );
  };
}
