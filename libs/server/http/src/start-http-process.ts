import { Logger, Type } from '@nestjs/common';
import { APP_CONFIG, AppConfig, loadConfig } from '@chatbox/server-config';
import { closeOnSignals } from '@chatbox/server-common';
import { PrismaService } from '@chatbox/server-db';
import { OPS_DEFAULT_PORTS, OpsServer } from '@chatbox/server-observability';
import { RedisService } from '@chatbox/server-redis';
import { createApiApp } from './configure-http';
import { drainAndClose } from './graceful-shutdown';

/**
 * Starts an HTTP process of ours (apps/api, apps/files) on its port: configuration checked before
 * anything connects, Redis checked for eviction, and the database connections opened before
 * anything answers (the readiness probe, the port), so the first burst finds them open.
 */
export async function startHttpProcess(role: 'api' | 'files', rootModule: Type<unknown>): Promise<void> {
  loadConfig(); // fail fast, with the list of bad variables
  const app = await createApiApp(rootModule); // JSON logs at LOG_LEVEL
  await app.get(RedisService).assertNoEviction();
  const config = app.get<AppConfig>(APP_CONFIG);
  await app.get(PrismaService).warmUp();
  await app.get(OpsServer).listen(config.ops.port ?? OPS_DEFAULT_PORTS[role], config.ops.host);
  const port = config[role].port;
  await app.listen(port, config.api.host);
  closeOnSignals(role, () => drainAndClose(app, config.shutdownDrainMs));
  new Logger(role).log(`listening on http://${config.api.host}:${port}/api`);
}
