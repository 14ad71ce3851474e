import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, AppConfig, loadConfig } from '@chatbox/server-config';
import { closeOnSignals, InFlightWork } from '@chatbox/server-common';
import { OPS_DEFAULT_PORTS, OpsServer } from '@chatbox/server-observability';
import { RedisService } from '@chatbox/server-redis';
import { WorkerModule } from './worker.module';

/** A Nest application context without HTTP: it only runs BullMQ processors. */
async function bootstrap(): Promise<void> {
  loadConfig(); // fail fast, before anything connects, with the list of bad variables
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(PinoLogger)); // JSON logs at LOG_LEVEL
  // Nest closes consumers before the global Redis and PostgreSQL: the fan-out worker finishes its
  // running jobs (BullMQ's close waits for them) and the outbox relay its sweep first
  closeOnSignals('worker', async () => {
    app.get(InFlightWork).stop(); // readiness fails from now on
    await app.close();
  });
  await app.get(RedisService).assertNoEviction();
  const config = app.get<AppConfig>(APP_CONFIG);
  await app.get(OpsServer).listen(config.ops.port ?? OPS_DEFAULT_PORTS.worker, config.ops.host);
  new Logger('worker').log('started');
}

bootstrap().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
