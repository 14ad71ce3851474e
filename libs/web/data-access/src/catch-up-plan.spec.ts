import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planCatchUp, REPLAY_LIMIT } from './catch-up-plan';

test('a reconnect replays a few missed changes; after a long absence it drops or keeps the window instead', () => {
  const plan = (missedChanges: number, onScreen: boolean, readingBack: boolean) => planCatchUp({ missedChanges, onScreen, readingBack });
  assert.equal(plan(0, true, false), 'replay');
  assert.equal(plan(REPLAY_LIMIT, true, true), 'replay');
  assert.equal(plan(REPLAY_LIMIT + 1, false, false), 'unload');
  assert.equal(plan(REPLAY_LIMIT + 1, false, true), 'unload');
  assert.equal(plan(5000, true, false), 'newest');
  assert.equal(plan(5000, true, true), 'keep-place');
});
