import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FANOUT_QUEUE } from '@chatbox/contracts';
import { QUEUES, QueueRegistry } from './queue.registry';

test('boot fails, naming the queue, when a queue has no processor', () => {
  assert.ok(QUEUES.includes(FANOUT_QUEUE));
  assert.throws(() => new QueueRegistry().onApplicationBootstrap(), /no processor for queue\(s\): fanout/);
});

test('boot passes once every queue has its processor', () => {
  const registry = new QueueRegistry();
  QUEUES.forEach((q) => registry.register(q));
  assert.doesNotThrow(() => registry.onApplicationBootstrap());
});
