import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Request } from 'express';
import { perListEntry } from './rate-limit.decorator';

const req = (body: unknown) => ({ body }) as Request;

test('perListEntry costs one per distinct entry (ids in any case), at most max; anything but a list costs nothing', () => {
  const cost = perListEntry('userIds', 3);
  assert.equal(cost(req({ userIds: ['a', 'b'] })), 2);
  assert.equal(cost(req({ userIds: ['a', 'A', 'a'] })), 1);
  assert.equal(cost(req({ userIds: ['a', 'b', 'c', 'd', 'e'] })), 3);
  for (const body of [undefined, {}, { userIds: 'a' }, { userIds: null }, 'text']) assert.equal(cost(req(body)), 0);
});
