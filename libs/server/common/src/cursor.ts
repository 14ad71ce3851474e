import { z } from 'zod';
import { AppError } from './app-error';

/** Opaque pagination cursors: base64url JSON of the last row's sort key. */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * The sort key inside a cursor, checked with `key` (a tuple of the parts below and the contract's
 * ZId and zText): a cursor is client input like any other, and whatever a part holds reaches SQL.
 */
export function decodeCursor<S extends z.ZodType<unknown[]>>(cursor: string | undefined, key: S): z.output<S> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const parsed = key.safeParse(json);
  if (!parsed.success) throw invalidCursor();
  return parsed.data;
}

const invalidCursor = () => AppError.validation({ cursor: 'is not a valid cursor' });

/**
 * A time as encodeCursor wrote it (toISOString), years 0001-9999: JavaScript dates reach far
 * beyond what PostgreSQL's timestamps hold, and such a date would fail the query.
 */
export const CursorDate = z
  .string()
  .regex(/^(?!0000)\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  .transform((s) => new Date(s))
  .refine((d) => !Number.isNaN(d.getTime()));
