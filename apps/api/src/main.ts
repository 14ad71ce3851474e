import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, loadConfig } from '@chatbox/server-config';
import { closeOnSignals } from '@chatbox/server-common';
import { createApiApp, drainAndClose } from '@chatbox/server-http';
import { OPS_DEFAULT_PORTS, OpsServer } from '@chatbox/server-observability';
import { RedisService } from '@chatbox/server-redis';
import { PrismaService } from '@chatbox/server-db';
import { ApiModule } from './app.module';

async function bootstrap(): Promise<void> {
  loadConfig(); // fail fast, before anything connects, with the list of bad variables
  const app = await createApiApp(ApiModule); // JSON logs at LOG_LEVEL
  await app.get(RedisService).assertNoEviction();
  const config = app.get<AppConfig>(APP_CONFIG);
  // before anything answers (the readiness probe, the api port): the first burst finds its
  // database connections open
  await app.get(PrismaService).warmUp();
  await app.get(OpsServer).listen(config.ops.port ?? OPS_DEFAULT_PORTS.api, config.ops.host);
  await app.listen(config.api.port, config.api.host);
  closeOnSignals('api', () => drainAndClose(app, config.shutdownDrainMs));
  new Logger('api').log(`listening on http://${config.api.host}:${config.api.port}/api`);
}

bootstrap().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
