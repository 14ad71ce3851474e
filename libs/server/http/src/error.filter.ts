import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ERROR_STATUS, ErrorCode, TErrorBody } from '@chatbox/contracts';
import { AppError, isDatabaseUnavailable, RateLimitedError } from '@chatbox/server-common';
import { requestIdOf } from './request-id.middleware';

/** body-parser and Express report their failures as errors carrying a type and status. */
type ExpressError = { type?: string; status?: number; message?: string };

/** The one place where any failure becomes the contract's error body. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(ErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    sendError(ctx.getRequest<Request>(), ctx.getResponse<Response>(), exception, this.logger);
  }
}

/** Writes the contract's error body for any failure; also used by middleware outside Nest's reach. */
export function sendError(req: Request, res: Response, exception: unknown, logger: Logger): void {
  const error = toAppError(exception, req);
  const requestId = requestIdOf(req);
  if (error.code === 'internal' || error.code === 'unavailable') {
    // Details (stack, SQL) go to the log under the request id, never into the answer.
    logger.error(`${requestId ?? '-'} ${req.method} ${req.path}: ${describe(exception)}`);
  }
  const body: TErrorBody = { error: { code: error.code, message: error.message } };
  if (error.fields) body.error.fields = error.fields;
  if (error.reason) body.error.reason = error.reason;
  if (requestId) body.error.requestId = requestId;
  if (error instanceof RateLimitedError) {
    res.setHeader('Retry-After', String(error.retryAfterSeconds));
    body.error.retryAfterSeconds = error.retryAfterSeconds;
  }
  res.status(ERROR_STATUS[error.code]).json(body);
}

function toAppError(exception: unknown, req: Request): AppError {
  if (exception instanceof AppError) return exception;
  if (isDatabaseUnavailable(exception)) return new AppError('unavailable', 'The service is unavailable; try again shortly.');
  if (exception instanceof HttpException) return fromHttpStatus(exception.getStatus(), req);
  const express = exception as ExpressError;
  if (express?.type === 'entity.parse.failed') return AppError.validation({ body: 'is not valid JSON' });
  if (express?.type === 'entity.too.large') return new AppError('payload_too_large', 'The request body is too large.');
  if (typeof express?.status === 'number' && express.status >= 400 && express.status < 500) {
    return fromHttpStatus(express.status, req);
  }
  return new AppError('internal', 'Something went wrong on our side.');
}

function fromHttpStatus(status: number, req: Request): AppError {
  const code = (Object.keys(ERROR_STATUS) as ErrorCode[]).find((c) => ERROR_STATUS[c] === status);
  switch (code) {
    case 'not_found':
      return new AppError('not_found', `No route ${req.method} ${req.path}.`);
    case undefined:
      return status < 500 ? AppError.validation({ body: 'is not acceptable' }) : new AppError('internal', 'Something went wrong on our side.');
    default:
      return new AppError(code, defaultMessage(code));
  }
}

function defaultMessage(code: ErrorCode): string {
  switch (code) {
    case 'validation_failed':
      return 'The request is not valid.';
    case 'unauthorized':
      return 'You need to log in.';
    case 'forbidden':
      return 'You may not do that.';
    case 'not_found':
      return 'Not found.';
    case 'conflict':
      return 'That conflicts with the current state.';
    case 'payload_too_large':
      return 'The request body is too large.';
    case 'rate_limited':
      return 'Too many requests; slow down.';
    case 'unavailable':
      return 'The service is unavailable; try again shortly.';
    case 'internal':
      return 'Something went wrong on our side.';
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
