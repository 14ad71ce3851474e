import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sendRetryDelay } from './send-retry';

test('a send the server could not take for a moment goes again after 1, 2, 4, 8 and 16 s, then waits for the user', () => {
  const delays = [0, 1, 2, 3, 4, 5].map((attempt) => sendRetryDelay('unavailable', attempt));
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, null]);
});

test('failures that a repeat would not fix are left to the user at once', () => {
  for (const code of ['validation_failed', 'not_found', 'forbidden', 'conflict', 'rate_limited', 'unauthorized', 'internal', 'network', undefined]) {
    assert.equal(sendRetryDelay(code, 0), null, String(code));
  }
});
