import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { closeOnSignals } from '@chatbox/server-common';
import { loadConfig } from '@chatbox/server-config';
import { RedisService } from '@chatbox/server-redis';
import { WorkerModule } from './worker.module';

/** A Nest application context without HTTP: it only runs BullMQ processors. */
async function bootstrap(): Promise<void> {
  const { logLevels } = loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: logLevels });
  // Nest closes consumers before the global Redis and PostgreSQL: the fan-out worker finishes its
  // running jobs (BullMQ's close waits for them) and the outbox relay its sweep first
  closeOnSignals('worker', () => app.close());
  await app.get(RedisService).assertNoEviction();
  new Logger('worker').log('started');
}

bootstrap().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
