import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { loadConfig } from '@chatbox/server-config';
import { publishingQuietly } from './redis-io.adapter';

test('a broadcast the closed command connection cannot carry is dropped with a log line, not an unhandled rejection', async () => {
  const client = new Redis(loadConfig().redisUrl);
  await client.quit(); // as when the app closes before a socket's last presence is announced
  const publisher = publishingQuietly(client, new Logger('test'));
  assert.equal(await publisher.publish('chatbox-test-closed', 'presence'), 0);
  await assert.rejects(client.publish('chatbox-test-closed', 'presence'), /Connection is closed/, 'the client itself rejects');
  assert.equal(publisher.status, 'end', 'everything else is the client, unchanged');
});
