import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PresenceAnnouncer, presenceWindowMs } from './presence-announcer';

function recorder() {
  const sent: string[][] = [];
  return { sent, announcer: new PresenceAnnouncer(async (userIds) => void sent.push(userIds)) };
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a change in a quiet moment goes out at once, on its own', async () => {
  const { sent, announcer } = recorder();
  announcer.announce('a');
  assert.deepEqual(sent, [['a']]);
  await announcer.close();
});

test('a burst becomes one broadcast after the first change, each user once', async () => {
  const { sent, announcer } = recorder();
  announcer.announce('a');
  for (let i = 0; i < 500; i++) announcer.announce(`u${i}`);
  announcer.announce('u1');
  announcer.announce('gone');
  assert.equal(sent.length, 1, 'the rest waits for the window');
  await pause(400);
  assert.equal(sent.length, 2);
  assert.equal(sent[1].length, 501);
  assert.ok(sent[1].includes('gone'));
  await announcer.close();
});

test('after a quiet window the next change goes out at once again; close sends what is pending', async () => {
  const { sent, announcer } = recorder();
  announcer.announce('a');
  await pause(600);
  announcer.announce('b');
  assert.equal(sent.length, 2);
  announcer.announce('c');
  await announcer.close();
  assert.deepEqual(sent[2], ['c']);
  announcer.announce('d');
  assert.equal(sent.length, 3, 'nothing after close');
});

test('the window grows with the sockets to tell: 250 ms up to 1,000, 2.5 s from 10,000', () => {
  assert.equal(presenceWindowMs(0), 250);
  assert.equal(presenceWindowMs(1000), 250);
  assert.equal(presenceWindowMs(1001), 500);
  assert.equal(presenceWindowMs(10_000), 2500);
  assert.equal(presenceWindowMs(200_000), 2500);
});
