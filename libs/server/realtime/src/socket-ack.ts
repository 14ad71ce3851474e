import type { Logger } from '@nestjs/common';
import type { TErrorBody } from '@chatbox/contracts';
import { AppError, isDatabaseUnavailable, RateLimitedError } from '@chatbox/server-common';

/**
 * The socket edge's error mapper: AppErrors keep their code; a lost database connection is
 * "unavailable" (retryable, as over HTTP); anything else is "internal".
 */
export function toErrorAck(err: unknown, logger: Logger, what: string): TErrorBody {
  if (err instanceof AppError) {
    const body: TErrorBody = { error: { code: err.code, message: err.message } };
    if (err.fields) body.error.fields = err.fields;
    if (err.reason) body.error.reason = err.reason;
    if (err instanceof RateLimitedError) body.error.retryAfterSeconds = err.retryAfterSeconds;
    return body;
  }
  logger.error(`${what}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  if (isDatabaseUnavailable(err)) return { error: { code: 'unavailable', message: 'The service is unavailable; try again shortly.' } };
  return { error: { code: 'internal', message: 'Something went wrong on our side.' } };
}
