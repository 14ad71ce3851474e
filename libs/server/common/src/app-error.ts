import type { ErrorCode, TFieldErrors, TForbiddenReason } from '@chatbox/contracts';

/**
 * A failure the caller can act on, with a wire error code. Domain code throws these; the HTTP
 * filter and the socket ack mapper turn them into the contract's error body.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: TFieldErrors,
    /** On some 403s: the rule that refused, for clients that act on it. */
    readonly reason?: TForbiddenReason,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static validation(fields: TFieldErrors, message = 'The request is not valid.'): AppError {
    return new AppError('validation_failed', message, fields);
  }
  static unauthorized(message = 'You need to log in.'): AppError {
    return new AppError('unauthorized', message);
  }
  static forbidden(message: string, reason?: TForbiddenReason): AppError {
    return new AppError('forbidden', message, undefined, reason);
  }
  static notFound(what: string): AppError {
    return new AppError('not_found', `${what} was not found.`);
  }
  static conflict(message: string, fields?: TFieldErrors): AppError {
    return new AppError('conflict', message, fields);
  }
  /** A dependency is down for a moment: retry (503). */
  static unavailable(message = 'The service is unavailable; try again shortly.'): AppError {
    return new AppError('unavailable', message);
  }
}
