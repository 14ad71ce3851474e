import type { Server } from 'node:http';
import { Logger, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import express, { NextFunction, Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { CSRF_HEADER, REQUEST_ID_HEADER, TOKEN_DELIVERY_HEADER } from '@chatbox/contracts';
import { InFlightWork } from '@chatbox/server-common';
import { Logger as PinoLogger } from 'nestjs-pino';
import { httpMetrics, Metrics } from '@chatbox/server-observability';
import { RedisIoAdapter } from '@chatbox/server-realtime';
import { sendError } from './error.filter';
import { csrfMiddleware } from './csrf.middleware';
import { PrototypedExpressAdapter } from './express-adapter';
import { requestIdMiddleware } from './request-id.middleware';

export const API_PREFIX = 'api';
export const JSON_BODY_LIMIT = '64kb';

/**
 * The api as an Express-based Nest app: request ids, security headers (helmet), no caching, CORS
 * for the web origin only, CSRF checks for cookie-authenticated changes, cookie and JSON parsing
 * (64 KB) with our own error answers (body-parser fails before Nest's filters run), no framework
 * banner; requests counted in flight for the graceful shutdown (apps/api: drainAndClose); idle
 * connections kept for HTTP_KEEP_ALIVE_SECONDS.
 * apps/api and the tests both build it here, so they are wired alike.
 */
export async function createApiApp(rootModule: Type<unknown>, logger?: LogLevel[]): Promise<NestExpressApplication> {
  // without levels (apps/api): JSON lines through nestjs-pino, buffered until it is in place
  const app = await NestFactory.create<NestExpressApplication>(rootModule, new PrototypedExpressAdapter(), { bodyParser: false, logger, bufferLogs: !logger });
  if (!logger) app.useLogger(app.get(PinoLogger));
  const config = app.get<AppConfig>(APP_CONFIG);
  const parserLogger = new Logger('BodyParser');
  const json = express.json({ limit: JSON_BODY_LIMIT });
  app.setGlobalPrefix(API_PREFIX);
  app.disable('x-powered-by');
  // The client IP (rate limits) comes from X-Forwarded-For only when the peer is a trusted proxy:
  // by default loopback, i.e. the web server (tools/src/platform/web-server.ts) on the same host.
  app.set('trust proxy', config.trustProxy);
  app.use(requestIdMiddleware());
  app.use(httpMetrics(app.get(Metrics)));
  // every request is work in flight until its answer is sent: a shutdown waits for it
  const work = app.get(InFlightWork);
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.on('close', work.begin());
    if (!work.accepting) res.setHeader('Connection', 'close');
    next();
  });
  // Every answer is someone's data at some moment (auth answers carry tokens): no cache keeps one.
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(helmet({ crossOriginResourcePolicy: { policy: 'same-site' } }));
  app.enableCors({
    origin: config.webOrigin,
    credentials: true,
    allowedHeaders: ['content-type', 'authorization', CSRF_HEADER, REQUEST_ID_HEADER, TOKEN_DELIVERY_HEADER],
    exposedHeaders: ['retry-after', REQUEST_ID_HEADER],
    maxAge: 600,
  });
  app.use(cookieParser());
  app.use(csrfMiddleware(config.webOrigin, (req, res, err) => sendError(req, res, err, parserLogger)));
  app.use((req: Request, res: Response, next: NextFunction) =>
    json(req, res, (err?: unknown) => (err ? sendError(req, res, err, parserLogger) : next())),
  );
  app.useWebSocketAdapter(new RedisIoAdapter(app));
  (app.getHttpServer() as Server).keepAliveTimeout = config.api.keepAliveSeconds * 1000;
  return app;
}
