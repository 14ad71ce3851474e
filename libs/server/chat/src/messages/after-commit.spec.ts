import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import type { AppConfig } from '@chatbox/server-config';
import { AfterCommit, HANDOFF_WAIT_MS } from './after-commit';
import type { FanoutScheduler, StoredChange } from './fanout-scheduler.port';

const config = { testHooks: { crashAfterCommit: false } } as AppConfig;
const change = { kind: 'created' } as StoredChange;

test('a writer is answered when the fan-out cannot be handed on (Redis cut off): the outbox relay sees to it', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const hanging: FanoutScheduler = { schedule: () => new Promise<void>(() => undefined) };
    let answered = false;
    const done = new AfterCommit(hanging, config).fanOut([change]).then(() => (answered = true));
    await Promise.resolve();
    mock.timers.tick(HANDOFF_WAIT_MS - 1);
    await Promise.resolve();
    assert.equal(answered, false, 'it waits for the hand-off first');
    mock.timers.tick(1);
    await done;
    assert.equal(answered, true);
  } finally {
    mock.timers.reset();
  }
});

test('a fan-out handed on at once answers at once', async () => {
  const handed: StoredChange[][] = [];
  const scheduler: FanoutScheduler = { schedule: async (changes) => void handed.push([...changes]) };
  await new AfterCommit(scheduler, config).fanOut([change]);
  assert.deepEqual(handed, [[change]]);
});
