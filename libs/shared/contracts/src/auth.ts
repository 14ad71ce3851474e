import { z } from 'zod';
import { LIMITS } from './limits';
import { zName, zText } from './common';
import { ZUser } from './users';
import { ZInviteCode } from './admin';

/** NFKC first, so look-alike forms (fullwidth letters, ligatures) become the plain ASCII name. */
export const ZUsername = zText()
  .transform((s) => s.normalize('NFKC'))
  .pipe(
    z
      .string()
      .min(LIMITS.usernameMin, `must be at least ${LIMITS.usernameMin} characters`)
      .max(LIMITS.usernameMax, `must be at most ${LIMITS.usernameMax} characters`)
      .regex(LIMITS.usernamePattern, 'may only contain letters, digits, "_", "." and "-"'),
  );

export const ZPassword = zText()
  .min(LIMITS.passwordMin, `must be at least ${LIMITS.passwordMin} characters`)
  .max(LIMITS.passwordMax, `must be at most ${LIMITS.passwordMax} characters`);

export const ZRegisterBody = z.strictObject(
  {
    username: ZUsername,
    password: ZPassword,
    displayName: zName(LIMITS.displayNameMax).optional(),
    /** Version 2: the code of an admin's invite, required while registration is invite-only. */
    inviteCode: ZInviteCode.optional(),
  },
  { error: 'is not an allowed field' },
);
export type TRegisterBody = z.infer<typeof ZRegisterBody>;

/** Login only checks shape: the answer to any wrong credential is the same 401. */
export const ZLoginBody = z.object({
  username: zText().min(1, 'is required').max(256, 'is too long'),
  password: zText().min(1, 'is required').max(1024, 'is too long'),
});
export type TLoginBody = z.infer<typeof ZLoginBody>;

/** POST /api/auth/password: answers 200 TAuthResponse on a fresh session; every older token dies. */
export const ZChangePasswordBody = z.strictObject(
  {
    currentPassword: zText().min(1, 'is required').max(1024, 'is too long'),
    newPassword: ZPassword,
  },
  { error: 'is not an allowed field' },
);
export type TChangePasswordBody = z.infer<typeof ZChangePasswordBody>;

/**
 * `passwordChangeRequired` (extension of API.md): true after an admin reset the password to a
 * one-time one. That login's session may then only `POST /api/auth/password` (with the one-time
 * password as currentPassword), `POST /api/auth/logout` and `GET /api/me`; anything else answers
 * 403 with `error.reason: "password_change_required"`, and its socket handshake is refused with
 * connect_error `password_change_required`. Always false on register and password change.
 */
export const ZAuthResponse = z.object({ user: ZUser, accessToken: z.string(), passwordChangeRequired: z.boolean() });
export type TAuthResponse = z.infer<typeof ZAuthResponse>;

/**
 * Sent by the web app with register, login and password change: `X-ChatBox-Token-Delivery:
 * cookie` asks for the token in the httpOnly cookie only, and the answer is ZCookieAuthResponse
 * (`{user}`), so page scripts never hold a token. Without the header the answer is
 * ZAuthResponse, as in version 1.
 */
export const TOKEN_DELIVERY_HEADER = 'x-chatbox-token-delivery';
export const TOKEN_DELIVERY_COOKIE_ONLY = 'cookie';
export const ZCookieAuthResponse = ZAuthResponse.omit({ accessToken: true });
export type TCookieAuthResponse = z.infer<typeof ZCookieAuthResponse>;

/** Name of the httpOnly cookie login sets for the browser. */
export const AUTH_COOKIE = 'chatbox_token';

/**
 * CSRF defence for the browser: every state-changing request (POST/PUT/PATCH/DELETE) that is
 * authenticated by the cookie must carry this header with the value CSRF_HEADER_VALUE (browsers
 * only let same-origin scripts, or origins CORS allows, set it). Bearer-authenticated requests are exempt.
 */
export const CSRF_HEADER = 'x-chatbox-csrf';
export const CSRF_HEADER_VALUE = '1';

/** Request id header: sent back on every answer (and accepted from the caller when sane). */
export const REQUEST_ID_HEADER = 'x-request-id';
