import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { REQUEST_ID_HEADER } from '@chatbox/contracts';

/** A caller's id is kept only if it cannot smuggle anything into logs or headers. */
const SANE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

const ids = new WeakMap<Request, string>();

export const requestIdOf = (req: Request): string | undefined => ids.get(req);

/** Gives every request an id (the caller's X-Request-Id when sane), echoes it, logs each answer with it at `verbose` level. */
export function requestIdMiddleware(logger = new Logger('Http')) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const given = req.get(REQUEST_ID_HEADER);
    const id = given && SANE_ID.test(given) ? given : randomUUID();
    ids.set(req, id);
    res.setHeader(REQUEST_ID_HEADER, id);
    if (!Logger.isLevelEnabled('verbose')) return next(); // production: errors are logged with the id
    const started = process.hrtime.bigint();
    // The path only: query strings may carry search terms, and nothing here logs bodies or tokens.
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.verbose(`${id} ${req.method} ${req.path} ${res.statusCode} ${ms.toFixed(1)}ms`);
    });
    next();
  };
}
