import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { adminsOnly, extractToken, passwordChangeFirst, TokenService } from '@chatbox/server-accounts';
import { AuditLogService } from '@chatbox/server-admin';
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
    private readonly audit: AuditLogService,
  ) {}

  onModuleInit(): void {
    const board = new ExpressAdapter().setBasePath(QUEUE_DASHBOARD_PATH);
    createBullBoard({ queues: [new BullMQAdapter(this.fanout.queue)], serverAdapter: board, options: { uiConfig: { boardTitle: 'ChatBox queues' } } });
    this.adapterHost.httpAdapter.use(QUEUE_DASHBOARD_PATH, this.authenticateAdmin, this.auditActions, dashboardCsp, board.getRouter());
  }

  private readonly authenticateAdmin = (req: Request, res: Response, next: NextFunction): void => {
    const token = extractToken(req);
    (token ? this.tokens.verify(token) : Promise.resolve(null)).then(
      (verified) => {
        if (!verified) return sendError(req, res, AppError.unauthorized(), this.logger);
        const { role, passwordChangeRequired } = verified.principal;
        if (passwordChangeRequired) return sendError(req, res, passwordChangeFirst(), this.logger);
        if (role !== 'admin') return sendError(req, res, adminsOnly(), this.logger);
        res.locals.adminId = verified.principal.userId;
        next();
      },
      (err: unknown) => sendError(req, res, err, this.logger), // database unavailable: 503, not a refusal
    );
  };

  /**
   * Every action taken on the dashboard (pause, retry, clean, promote, ...: any request that is
   * not a read) goes to the audit log once it succeeded, like the admin API's own actions.
   */
  private readonly auditActions = (req: Request, res: Response, next: NextFunction): void => {
    const action = queueActionOf(req.method, req.path);
    if (action) {
      res.once('finish', () => {
        if (res.statusCode >= 400) return;
        this.audit.record({ actorId: res.locals.adminId as string, action: 'queue.action', details: action }).catch((err: unknown) => {
          this.logger.error(`could not write the audit entry of a queue action: ${String(err)}`);
        });
      });
    }
    next();
  };
}

/** `{queue, operation}` of a dashboard action, e.g. PUT /api/queues/fanout/retry/failed -> "retry/failed". */
export function queueActionOf(method: string, path: string): { queue: string; operation: string } | null {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return null;
  const match = /^\/api\/queues\/([^/]+)\/(.+)$/.exec(path);
  if (!match) return { queue: '', operation: `${method} ${path}`.slice(0, 200) };
  return { queue: decodeURIComponent(match[1]!), operation: match[2]!.slice(0, 200) };
}
