import { test } from 'node:test';
import assert from 'node:assert/strict';
import { messageSearchSql } from './message-search.repository';
import { parseSearchTerms } from './message-search-terms';

const user = '00000000-0000-4000-8000-000000000001';
const other = '00000000-0000-4000-8000-000000000002';

// PrismaService.rows prepares each statement text once per connection, up to a fixed number of
// texts: a text per query shape would use them up and leave later statements unprepared.
test('one statement text whatever the terms, filters and cursor (prefixes of one or two letters: a second)', () => {
  const texts = new Set(
    [
      { q: 'deploy' },
      { q: 'deploy "release notes" budg* καλημέρα' },
      { q: '"a b" "c d" efg* f g h', conversationId: other },
      { q: 'w12*', senderId: other, after: { rank: 0.1, createdAt: new Date(), id: other } },
    ].map(({ q, ...rest }) => messageSearchSql({ userId: user, terms: parseSearchTerms(q), limit: 21, ...rest }).text),
  );
  assert.equal(texts.size, 1);
  const short = new Set(['de*', 'deploy x*', 'a* b* "c d"'].map((q) => messageSearchSql({ userId: user, terms: parseSearchTerms(q), limit: 21 }).text));
  assert.equal(short.size, 1);
  assert.ok(!texts.has([...short][0]));
});
