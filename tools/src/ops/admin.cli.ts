import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { USER_ROLES, type TUserRole } from '@chatbox/contracts';
import { UserRepository } from '@chatbox/server-accounts';
import { AdminModule, AdminUsersService } from '@chatbox/server-admin';
import { ConfigModule } from '@chatbox/server-config';
import { DbModule } from '@chatbox/server-db';
import { JobsProducerModule } from '@chatbox/server-jobs';
import { ObservabilityModule } from '@chatbox/server-observability';
import { PresenceModule } from '@chatbox/server-presence';
import { RealtimePublisherModule } from '@chatbox/server-realtime';
import { RedisModule } from '@chatbox/server-redis';
import { StorageModule } from '@chatbox/server-storage';
import { databaseUrlFor } from '../db/databases';
import { ensureServices } from '../services/ensure-services';

/** The admin services as the api wires them, without HTTP or a socket server. */
@Module({ imports: [ConfigModule, DbModule, RedisModule, StorageModule, PresenceModule, RealtimePublisherModule, ObservabilityModule, JobsProducerModule, AdminModule] })
class AdminCliModule {}

const ACTIONS: Record<string, TUserRole> = { grant: 'admin', revoke: 'member' };

/**
 * `npm run admin -- grant|revoke <username>` on the server: makes the user an admin or a member
 * again, audited like an admin's change (by "the server"). Uses DATABASE_URL and REDIS_URL as the
 * api does (default: the local services and database `npm start` uses). Revoking the last active
 * admin is refused, as in the admin area.
 */
async function main(): Promise<void> {
  const [action, username] = process.argv.slice(2);
  const role = action === undefined ? undefined : ACTIONS[action];
  if (!role || !username) throw new Error(`usage: npm run admin -- grant|revoke <username>   (roles: ${USER_ROLES.join(', ')})`);
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
    const services = await ensureServices();
    process.env.DATABASE_URL ??= services.databaseUrl ?? databaseUrlFor(services.postgresServerUrl, 'chatbox');
    process.env.REDIS_URL ??= services.redisUrl;
  }
  const app = await NestFactory.createApplicationContext(AdminCliModule, { logger: ['error', 'warn'] });
  try {
    const user = await app.get(UserRepository).findByUsername(username);
    if (!user) throw new Error(`no user named ${JSON.stringify(username)}`);
    const changed = await app.get(AdminUsersService).setRole(null, user.id, role);
    console.log(changed ? `${user.username} is now ${role === 'admin' ? 'an admin' : 'a member'}` : `${user.username} already was ${role === 'admin' ? 'an admin' : 'a member'}`);
  } finally {
    await app.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
