import { z } from 'zod';
import { LIMITS } from './limits';

/**
 * The base of every string the api accepts, so no field can forget it. PostgreSQL text cannot
 * hold NUL (it answers an error), and a lone surrogate is no character at all (UTF-8 cannot
 * encode it; it would be stored as U+FFFD): both are refused with 400 naming the field.
 */
export const zText = () =>
  z
    .string({ error: 'must be a string' })
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters')
    .refine((s) => !LONE_SURROGATE.test(s), 'must not contain unpaired surrogates (invalid Unicode)');
const LONE_SURROGATE = /\p{Cs}/u; // with the u flag, a well-formed pair is one astral character

/** Ids are uuids, compared in the one spelling PostgreSQL writes them: lower case, whatever the client sent. */
export const ZId = z.uuid({ error: 'must be an id' }).transform((id) => id.toLowerCase());

/** The id in its one spelling, or undefined when the value is no id (it can name no row). */
export const toId = (value: unknown): string | undefined => {
  const parsed = ZId.safeParse(value);
  return parsed.success ? parsed.data : undefined;
};

/**
 * Format characters (\p{Cf}: direction overrides and isolates, zero-width spaces, the BOM, the
 * soft hyphen...) change how the text around them looks without being seen. Allowed only as the
 * zero-width joiner that makes two emoji one (👩‍💻), which is how those emoji are written.
 */
const FORMAT_CHARACTER = /(?!(?<=[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F])\u200D(?=\p{Extended_Pictographic}))\p{Cf}/u;
/** Something that shows: not a space, a mark alone, a default-ignorable (Hangul fillers...) or the braille blank. */
const VISIBLE = /[^\p{White_Space}\p{M}\p{Default_Ignorable_Code_Point}\u2800]/u;

/**
 * A name people see beside what others write (display names, group names): NFKC-normalized,
 * trimmed; no control characters, line or paragraph separators or format characters, and at
 * least one visible character, so a name cannot hide, impersonate or flip the text after it.
 */
export const zName = (max: number) =>
  zText()
    .transform((s) => s.normalize('NFKC').trim())
    .pipe(
      z
        .string()
        .min(1, 'must not be empty')
        .max(max, `must be at most ${max} characters`)
        .refine((s) => !/\p{Cc}/u.test(s), 'must not contain control characters')
        .refine((s) => !/[\p{Zl}\p{Zp}]/u.test(s), 'must not contain line or paragraph separators')
        .refine((s) => !FORMAT_CHARACTER.test(s), 'must not contain invisible formatting characters (direction overrides, zero-width spaces)')
        .refine((s) => VISIBLE.test(s), 'must contain a visible character'),
    );

/** A whole number, given as a JSON number or as a query-string digit string. */
const zIntParam = (min: number, max?: number) => {
  let n = z.number().int('must be a whole number').min(min, `must be at least ${min}`);
  if (max !== undefined) n = n.max(max, `must be at most ${max}`);
  return z
    .union([z.number(), z.string().regex(/^\d{1,15}$/).transform(Number)], { error: 'must be a whole number' })
    .pipe(n);
};

export const ZLimit = zIntParam(1, LIMITS.pageMax).default(LIMITS.pageDefault);
export const ZSeqParam = zIntParam(0, LIMITS.seqMax);

/** A seq in a JSON body (read pointers). */
export const ZSeq = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be at least 0')
  .max(LIMITS.seqMax, `must be at most ${LIMITS.seqMax}`);

/** Cursors are opaque base64url text the api wrote; what they hold is checked where they are read. */
export const ZCursor = z
  .string({ error: 'is not a valid cursor' })
  .max(512, 'is not a valid cursor')
  .regex(/^[A-Za-z0-9_-]*$/, 'is not a valid cursor');

export const ZPageQuery = z.object({
  limit: ZLimit,
  cursor: ZCursor.optional(),
});
export type TPageQuery = z.infer<typeof ZPageQuery>;

/** A paginated name search (users, groups): `q` is matched as a case-insensitive substring. */
export const ZSearchQuery = ZPageQuery.extend({
  q: zText()
    .max(LIMITS.searchQueryMax, `must be at most ${LIMITS.searchQueryMax} characters`)
    .transform((s) => s.normalize('NFKC').trim())
    .default(''),
});

export const zPage = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
export type TPage<T> = { items: T[]; nextCursor: string | null };
