import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { loadConfig } from '@chatbox/server-config';
import { RedisService } from '@chatbox/server-redis';
import { RedisRealtimePublisher, socketIoKey } from './redis-realtime.publisher';

const config = { ...loadConfig(), fanout: { ...loadConfig().fanout, chunkSize: 3 } };
let redis: RedisService;
let subscriber: Redis;
const marker = `chunk-test-${process.pid}-${Date.now()}`;
let published = 0;
let requested = 0;

before(async () => {
  redis = new RedisService(config);
  subscriber = new Redis(config.redisUrl);
  await subscriber.psubscribe(`${socketIoKey(config)}#*`);
  await subscriber.subscribe(`${socketIoKey(config)}-request#/#`);
  // other test files publish on the same prefix: count only this test's events
  subscriber.on('pmessageBuffer', (_pattern, _channel, payload: Buffer) => payload.includes(marker) && published++);
  subscriber.on('messageBuffer', (_channel, payload: Buffer) => payload.includes(marker) && requested++);
});
after(() => {
  subscriber.disconnect();
  redis.client.disconnect();
});

test('an event to 7 users with chunks of 3 costs 3 Redis publishes, not 7', async () => {
  const publisher = new RedisRealtimePublisher(redis, config);
  const users = Array.from({ length: 7 }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`);
  await publisher.toUsers(users, 'read', { conversationId: marker, readSeq: 1 });
  await redis.client.ping(); // the publishes went out before this answer
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(published, 3);
});

test('several messages to 7 users with chunks of 3 cost 3 Redis publishes, framed by each api process', async () => {
  const publisher = new RedisRealtimePublisher(redis, config);
  const users = Array.from({ length: 7 }, (_, i) => `00000000-0000-4000-8000-00000000001${i}`);
  const message = (seq: number) => ({ id: `m${seq}`, conversationId: marker, seq, sender: { id: 'u', username: 'u', displayName: 'u' }, body: 'x', clientMsgId: `c${seq}`, createdAt: new Date().toISOString(), eventSeq: seq, editedAt: null, deletedAt: null, threadRootId: null, replyCount: 0, lastReplyAt: null, reactions: [], mentions: { userIds: [], everyone: false }, attachments: [], anonymous: false });
  await publisher.changesToUsers(users, marker, [1, 2, 3].map((seq) => ({ kind: 'created' as const, message: message(seq) })));
  await redis.client.ping();
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(requested, 3);
});
