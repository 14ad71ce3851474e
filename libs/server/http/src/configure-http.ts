import { Logger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import express, { NextFunction, Request, Response } from 'express';
import { RedisIoAdapter } from '@chatbox/server-realtime';
import { sendError } from './error.filter';

export const API_PREFIX = 'api';
export const JSON_BODY_LIMIT = '64kb';

/**
 * The api as an Express-based Nest app: prefix, cookie and JSON parsing with our own error
 * answers (body-parser fails before Nest's filters run), no framework banner.
 * apps/api and the tests both build it here, so they are wired alike.
 */
export async function createApiApp(rootModule: Type<unknown>, logger?: Array<'log' | 'error' | 'warn'>): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule, { bodyParser: false, logger });
  const parserLogger = new Logger('BodyParser');
  const json = express.json({ limit: JSON_BODY_LIMIT });
  app.setGlobalPrefix(API_PREFIX);
  app.disable('x-powered-by');
  app.use(cookieParser());
  app.use((req: Request, res: Response, next: NextFunction) =>
    json(req, res, (err?: unknown) => (err ? sendError(req, res, err, parserLogger) : next())),
  );
  app.useWebSocketAdapter(new RedisIoAdapter(app));
  app.enableShutdownHooks();
  return app;
}
