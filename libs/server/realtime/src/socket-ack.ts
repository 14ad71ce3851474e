import type { Logger } from '@nestjs/common';
import type { TErrorBody } from '@chatbox/contracts';
import { AppError } from '@chatbox/server-common';

/** The socket edge's error mapper: AppErrors keep their code; anything else is "internal". */
export function toErrorAck(err: unknown, logger: Logger, what: string): TErrorBody {
  if (err instanceof AppError) {
    const body: TErrorBody = { error: { code: err.code, message: err.message } };
    if (err.fields) body.error.fields = err.fields;
    return body;
  }
  logger.error(`${what}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  return { error: { code: 'internal', message: 'Something went wrong on our side.' } };
}
