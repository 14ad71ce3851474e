import { z } from 'zod';
import { LIMITS } from './limits';
import { ZCursor, ZId, ZLimit, zText } from './common';
import { CONVERSATION_KINDS } from './conversations';
import { ZMessage } from './messages';

/** Something a word can be made of: without one, `q` could match nothing. */
const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/**
 * GET /api/search/messages (version 2, API.md "Search"). `q` is 1-200 characters (NFKC-normalized,
 * trimmed) of words, `"quoted phrases"` and `prefix*`, all of which a message must hold; accents
 * and case do not matter. `conversationId` and `from` (a sender's user id) narrow it down.
 */
export const ZMessageSearchQuery = z.object({
  q: zText()
    .transform((s) => s.normalize('NFKC').trim())
    .pipe(
      z
        .string()
        .min(1, 'is required')
        .max(LIMITS.messageSearchQueryMax, `must be at most ${LIMITS.messageSearchQueryMax} characters`)
        .refine((s) => WORD_CHARACTER.test(s), 'must contain a letter or a digit'),
    ),
  conversationId: ZId.optional(),
  from: ZId.optional(),
  limit: ZLimit,
  cursor: ZCursor.optional(),
});
export type TMessageSearchQuery = z.infer<typeof ZMessageSearchQuery>;

/**
 * Extension (not in API.md): where the search's words are in `message.body`, as [start, end)
 * offsets in UTF-16 code units (JavaScript string indices), ascending and apart. For showing
 * them marked: the body stays plain text.
 */
export const ZTextRange = z.object({ start: z.number().int(), end: z.number().int() });
export type TTextRange = z.infer<typeof ZTextRange>;

export const ZMessageSearchHit = z.object({
  message: ZMessage,
  conversation: z.object({ id: z.string(), kind: z.enum(CONVERSATION_KINDS), name: z.string() }),
  highlights: z.array(ZTextRange),
});
export type TMessageSearchHit = z.infer<typeof ZMessageSearchHit>;

/** Best match first, then newest first; `nextCursor` continues the same search. */
export const ZMessageSearchPage = z.object({ items: z.array(ZMessageSearchHit), nextCursor: z.string().nullable() });
export type TMessageSearchPage = z.infer<typeof ZMessageSearchPage>;
