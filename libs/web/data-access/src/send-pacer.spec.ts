import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SendPacer } from './send-pacer';

test('lets `limit` sends through at once, then the next when the oldest leaves the window', () => {
  const pacer = new SendPacer(3, 1000);
  for (const at of [0, 10, 20]) {
    assert.equal(pacer.delay(at), 0);
    pacer.record(at);
  }
  assert.equal(pacer.delay(500), 500);
  assert.equal(pacer.delay(1000), 0);
  pacer.record(1000);
  assert.equal(pacer.delay(1000), 10, 'the one sent at 10 leaves the window at 1010');
});

test('never more than `limit` in any window, whatever the pace asked', () => {
  const pacer = new SendPacer(5, 1000);
  const sent: number[] = [];
  let now = 0;
  for (let i = 0; i < 40; i++) {
    now += pacer.delay(now);
    pacer.record(now);
    sent.push(now);
    now += i % 3; // sometimes at once, sometimes a moment later
  }
  for (const start of sent) assert.ok(sent.filter((t) => t >= start && t < start + 1000).length <= 5);
});
