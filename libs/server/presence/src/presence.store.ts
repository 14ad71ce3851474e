import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { RedisService } from '@chatbox/server-redis';

/** Every presence key starts with this; `alive:<processId>` is a live process's heartbeat. */
export const presenceKeyPrefix = (config: Pick<AppConfig, 'redisPrefix'>): string => `${config.redisPrefix}:presence:`;

/** How long a process counts as alive after its last heartbeat. */
export const PRESENCE_PROCESS_TTL_MS = 15_000;

// KEYS: total, process hash, process registry. ARGV: userId, delta, processId.
// Returns the user's socket count across all processes after the change.
const CHANGE = `
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
local p = redis.call('HINCRBY', KEYS[2], ARGV[1], ARGV[2])
if p <= 0 then redis.call('HDEL', KEYS[2], ARGV[1]) end
redis.call('SADD', KEYS[3], ARGV[3])
if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) return 0 end
return n`;

// KEYS: total, process hash, process registry, heartbeat key, process's socket slots. ARGV: processId.
// Removes a dead process's sockets from the totals (and drops its slots, see SocketSlots);
// returns the users that went offline.
const REAP = `
if redis.call('EXISTS', KEYS[4]) == 1 then return {} end
local counts = redis.call('HGETALL', KEYS[2])
local offline = {}
for i = 1, #counts, 2 do
  local n = redis.call('HINCRBY', KEYS[1], counts[i], -tonumber(counts[i + 1]))
  if n <= 0 then redis.call('HDEL', KEYS[1], counts[i]) table.insert(offline, counts[i]) end
end
redis.call('DEL', KEYS[2], KEYS[5])
redis.call('SREM', KEYS[3], ARGV[1])
return offline`;

/**
 * Who is online, shared by every api process through Redis: a socket count per user summed over
 * processes, plus each process's own counts and a heartbeat key, so the counts of a process that
 * died without cleaning up can be taken back (reapDeadProcesses).
 */
@Injectable()
export class PresenceStore {
  /** This process's identity in Redis. */
  readonly processId = randomUUID();
  private readonly key: (suffix: string) => string;

  constructor(
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.key = (suffix) => `${presenceKeyPrefix(config)}${suffix}`;
  }

  private get totals() {
    return this.key('sockets');
  }
  get registry() {
    return this.key('processes');
  }
  private processHash(processId: string) {
    return this.key(`process:${processId}`);
  }
  /** A process's socket slots (SocketSlots); dropped with the process's counts when it dies. */
  slotsHash(processId: string) {
    return this.key(`process:${processId}:slots`);
  }
  private heartbeatKey(processId: string) {
    return this.key(`alive:${processId}`);
  }

  async onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const counts = await this.redis.client.hmget(this.totals, ...userIds);
    return new Set(userIds.filter((_, i) => Number(counts[i] ?? 0) > 0));
  }

  async isOnline(userId: string): Promise<boolean> {
    return Number((await this.redis.client.hget(this.totals, userId)) ?? 0) > 0;
  }

  async onlineUserIds(): Promise<string[]> {
    return this.redis.client.hkeys(this.totals);
  }

  /** Counts one more socket of the user in this process; true when it is the user's first anywhere. */
  async socketConnected(userId: string): Promise<boolean> {
    return (await this.change(userId, 1)) === 1;
  }

  /** Counts one socket less; true when it was the user's last anywhere. */
  async socketDisconnected(userId: string): Promise<boolean> {
    return (await this.change(userId, -1)) === 0;
  }

  private async change(userId: string, delta: number): Promise<number> {
    const result = await this.redis.client.eval(
      CHANGE, 3, this.totals, this.processHash(this.processId), this.registry, userId, String(delta), this.processId,
    );
    return Number(result);
  }

  /** Marks this process alive for PRESENCE_PROCESS_TTL_MS. */
  async heartbeat(): Promise<void> {
    await this.redis.client.set(this.heartbeatKey(this.processId), '1', 'PX', PRESENCE_PROCESS_TTL_MS);
  }

  /** Takes back the sockets of processes whose heartbeat expired; returns users now offline. */
  async reapDeadProcesses(): Promise<string[]> {
    const processes = await this.redis.client.smembers(this.registry);
    const offline: string[] = [];
    for (const processId of processes) {
      if (processId === this.processId) continue;
      const users = (await this.redis.client.eval(
        REAP, 5, this.totals, this.processHash(processId), this.registry, this.heartbeatKey(processId), this.slotsHash(processId), processId,
      )) as string[];
      offline.push(...users);
    }
    return offline;
  }

  /** On clean shutdown: this process's sockets are gone; returns users now offline. */
  async releaseThisProcess(): Promise<string[]> {
    await this.redis.client.del(this.heartbeatKey(this.processId));
    return (await this.redis.client.eval(
      REAP, 5, this.totals, this.processHash(this.processId), this.registry, this.heartbeatKey(this.processId), this.slotsHash(this.processId), this.processId,
    )) as string[];
  }
}
