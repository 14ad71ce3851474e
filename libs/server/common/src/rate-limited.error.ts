import { AppError } from './app-error';

/** 429 rate_limited; the HTTP filter turns retryAfterSeconds into a Retry-After header. */
export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', `Too many requests; try again in ${retryAfterSeconds} s.`);
  }
}
