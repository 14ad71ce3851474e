import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BeforeApplicationShutdown, Global, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { RedisModule, RedisService } from './redis.module';

/**
 * A provider that uses Redis after every module's onModuleDestroy, as the socket and HTTP servers'
 * handlers do: Nest closes those servers (dispose) after the destroy and before-shutdown hooks,
 * and their disconnect handlers (presence) and requests still in flight use the connection.
 */
@Injectable()
class LastWords implements BeforeApplicationShutdown {
  answer: unknown = 'not asked';
  constructor(private readonly redis: RedisService) {}
  async beforeApplicationShutdown(): Promise<void> {
    this.answer = await this.redis.client.ping().catch((err: Error) => err.message);
  }
}

@Module({ providers: [LastWords] })
class UserModule {}

const config = { redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' } as AppConfig;

@Global()
@Module({ providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] })
class TestConfigModule {}

@Module({ imports: [TestConfigModule, RedisModule, UserModule] })
class RootModule {}

/**
 * The ephemeral restart specs flaked with "Connection is closed": RedisService disconnected in
 * onModuleDestroy, but Nest's close() runs the destroy hooks, then beforeApplicationShutdown,
 * then closes the HTTP and Socket.IO servers (whose handlers still run: a socket's disconnect
 * releases presence and announces it, a request in flight is rate-limited), and only then
 * onApplicationShutdown. Whatever ran in between used a closed connection; an un-awaited publish
 * of it was an unhandled rejection that failed whichever test was running.
 */
test('the command connection stays open until every module has finished closing', async () => {
  const app = await NestFactory.createApplicationContext(RootModule, { logger: false });
  const words = app.get(LastWords);
  await app.close();
  assert.equal(words.answer, 'PONG');
  // and then closed (QUIT: the server ends the connection)
  const { client } = app.get(RedisService);
  await new Promise<void>((resolve) => (client.status === 'end' ? resolve() : client.once('end', () => resolve())));
  assert.equal(client.status, 'end');
});
