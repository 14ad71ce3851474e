import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TMessage } from '@chatbox/contracts';
import { aMessage } from '@chatbox/contracts/testing';
import { ChangeSync } from './change-sync';

const msg = (id: string, eventSeq: number, body = id): TMessage => aMessage({ id, seq: Number(id.slice(1)), eventSeq, body, clientMsgId: id });

test('a followed conversation applies live changes in eventSeq order and fetches a gap', async () => {
  const applied: string[] = [];
  const asked: number[] = [];
  const sync = new ChangeSync(
    async (_id, after) => {
      asked.push(after);
      return { items: [msg('m2', 6, 'edited')], nextCursor: null };
    },
    (_id, ms) => applied.push(...ms.map((m) => `${m.id}@${m.eventSeq}`)),
  );
  assert.equal(sync.receive(msg('m1', 5)), false, 'not followed: left to the caller');
  sync.follow('c', 4);
  assert.equal(sync.receive(msg('m1', 5)), true);
  sync.receive(msg('m3', 7)); // 6 is missing: changes?after=5
  await sync.catchUpAll();
  assert.deepEqual(asked, [5], 'the gap asked once; the reconnect round shared it');
  assert.deepEqual(applied, ['m1@5', 'm2@6', 'm3@7']);
});
