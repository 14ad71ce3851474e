import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TPresenceBatchEvent, TPresenceEvent } from '@chatbox/contracts';
import { PresenceAnnouncer } from './presence-announcer';

function recorder() {
  const sent: Array<TPresenceEvent | TPresenceBatchEvent> = [];
  return { sent, announcer: new PresenceAnnouncer({ one: (e) => sent.push(e), many: (e) => sent.push(e) }) };
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a change in a quiet moment goes out at once, on its own', () => {
  const { sent, announcer } = recorder();
  announcer.announce('a', true);
  assert.deepEqual(sent, [{ userId: 'a', online: true }]);
  announcer.close();
});

test('a burst becomes one batch after the first change, with the latest state per user', async () => {
  const { sent, announcer } = recorder();
  announcer.announce('a', true);
  for (let i = 0; i < 500; i++) announcer.announce(`u${i}`, true);
  announcer.announce('u1', false);
  announcer.announce('gone', false);
  assert.equal(sent.length, 1, 'the rest waits for the window');
  await pause(400);
  assert.equal(sent.length, 2);
  const batch = sent[1] as TPresenceBatchEvent;
  assert.equal(batch.online.length, 499);
  assert.ok(!batch.online.includes('u1'));
  assert.deepEqual(batch.offline.sort(), ['gone', 'u1']);
  announcer.close();
});

test('after a quiet window the next change goes out at once again; close sends what is pending', async () => {
  const { sent, announcer } = recorder();
  announcer.announce('a', true);
  await pause(600);
  announcer.announce('b', true);
  assert.equal(sent.length, 2);
  announcer.announce('c', false);
  announcer.close();
  assert.deepEqual(sent[2], { userId: 'c', online: false });
});
