import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { REQUEST_ID_HEADER } from '@chatbox/contracts';

/** A caller's id is kept only if it cannot smuggle anything into logs or headers. */
const SANE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

const ids = new WeakMap<Request, string>();

export const requestIdOf = (req: Request): string | undefined => ids.get(req);

/**
 * Gives every request an id (the caller's X-Request-Id when sane) and echoes it; the JSON logs
 * (nestjs-pino) take it from the answer's header and write it on every line of the request.
 */
export function requestIdMiddleware() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const given = req.get(REQUEST_ID_HEADER);
    const id = given && SANE_ID.test(given) ? given : randomUUID();
    ids.set(req, id);
    res.setHeader(REQUEST_ID_HEADER, id);
    next();
  };
}
