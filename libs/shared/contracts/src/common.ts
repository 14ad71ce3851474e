import { z } from 'zod';
import { LIMITS } from './limits';

export const ZId = z.uuid({ error: 'must be an id' });

/** Text typed by a person: NFKC-normalized, trimmed, no control characters. */
export const zName = (max: number) =>
  z
    .string({ error: 'must be a string' })
    .transform((s) => s.normalize('NFKC').trim())
    .pipe(
      z
        .string()
        .min(1, 'must not be empty')
        .max(max, `must be at most ${max} characters`)
        .refine((s) => !/\p{Cc}/u.test(s), 'must not contain control characters'),
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

export const ZPageQuery = z.object({
  limit: ZLimit,
  cursor: z.string().max(512, 'is not a valid cursor').optional(),
});
export type TPageQuery = z.infer<typeof ZPageQuery>;

/** A paginated name search (users, groups): `q` is matched as a case-insensitive substring. */
export const ZSearchQuery = ZPageQuery.extend({
  q: z
    .string()
    .max(LIMITS.searchQueryMax, `must be at most ${LIMITS.searchQueryMax} characters`)
    .transform((s) => s.normalize('NFKC').trim())
    .default(''),
});

export const zPage = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
export type TPage<T> = { items: T[]; nextCursor: string | null };
