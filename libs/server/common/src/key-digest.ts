import { createHash } from 'node:crypto';

/** A subject (IP, name) as it appears in a Redis key or field: short, and no personal data in clear. */
export const keyDigest = (subject: string): string => createHash('sha256').update(subject, 'utf8').digest('base64url').slice(0, 22);
