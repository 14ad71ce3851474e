import { z } from 'zod';

/** Every error code the api answers with, and the HTTP status each one maps to. */
export const ERROR_STATUS = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  /** Not in API.md v1: an unexpected server fault (the body never carries details). */
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/**
 * Why a 403 was answered, where a client acts on it (extension of API.md, version 2):
 * `password_change_required` the session may only set a new password; `deactivated` an admin
 * deactivated the account (login); `registration_closed` nobody may register now;
 * `invite_required` registration is invite-only and no code was given; `invite_invalid` the code
 * is unknown, used or expired.
 */
export const FORBIDDEN_REASONS = ['password_change_required', 'deactivated', 'registration_closed', 'invite_required', 'invite_invalid'] as const;
export type TForbiddenReason = (typeof FORBIDDEN_REASONS)[number];

/** Field name -> why it was rejected. */
export const ZFieldErrors = z.record(z.string(), z.string());
export type TFieldErrors = z.infer<typeof ZFieldErrors>;

/** The body of every error answer, over HTTP and in socket acknowledgements. */
export const ZErrorBody = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    fields: ZFieldErrors.optional(),
    /** The request id (also the X-Request-Id answer header), to quote when reporting a problem. */
    requestId: z.string().optional(),
    /**
     * On `rate_limited`: seconds until the limit lets the caller through again (the Retry-After
     * header of HTTP answers, also in socket acknowledgements). Extension of API.md.
     */
    retryAfterSeconds: z.number().int().positive().optional(),
    /** On some `forbidden` answers: which rule refused (ERROR_REASONS). Extension of API.md. */
    reason: z.enum(FORBIDDEN_REASONS).optional(),
  }),
});
export type TErrorBody = z.infer<typeof ZErrorBody>;
