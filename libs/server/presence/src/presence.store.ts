import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { RedisService } from '@chatbox/server-redis';

/** Every presence key starts with this; `alive:<processId>` is a live process's heartbeat. */
export const presenceKeyPrefix = (config: Pick<AppConfig, 'redisPrefix'>): string => `${config.redisPrefix}:presence:`;

/** How long a process counts as alive after its last heartbeat. */
export const PRESENCE_PROCESS_TTL_MS = 15_000;

/**
 * Users due at once from which those still away get a second grace: a whole process's users
 * reconnect over many seconds (10,000 took 27 s after a restart, some retrying handshakes that
 * timed out), and every one announced offline at the grace's end and online again a moment later
 * went to every socket twice (36.9 million presence changes in the eighth session's run).
 */
export const MASS_SETTLE = 100;

// KEYS: total, process hash, process registry, shown set. ARGV: userId, delta, processId.
// Returns 1 when the user's shown presence changed (first socket anywhere: shown online; last
// socket gone: shown offline), else 0.
const CHANGE = `
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
local p = redis.call('HINCRBY', KEYS[2], ARGV[1], ARGV[2])
if p <= 0 then redis.call('HDEL', KEYS[2], ARGV[1]) end
redis.call('SADD', KEYS[3], ARGV[3])
if n <= 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return redis.call('SREM', KEYS[4], ARGV[1])
end
return redis.call('SADD', KEYS[4], ARGV[1])`;

// KEYS: total, shown set, due set, extended set. ARGV: now (ms), most to take, grace (ms), mass.
// Settles the users whose grace ended (scheduleSettle): shown as their socket counts say now;
// but when at least `mass` are due at once (a whole process's users), those still away get one
// more grace (marked in the extended set) instead. Returns the users whose shown presence changed.
const SETTLE_DUE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local mass = #due >= tonumber(ARGV[4])
local later = tostring(tonumber(ARGV[1]) + tonumber(ARGV[3]))
local changed = {}
for _, id in ipairs(due) do
  local back = tonumber(redis.call('HGET', KEYS[1], id) or '0') > 0
  if not back and mass and redis.call('SADD', KEYS[4], id) == 1 then
    redis.call('ZADD', KEYS[3], later, id)
  else
    redis.call('ZREM', KEYS[3], id)
    redis.call('SREM', KEYS[4], id)
    local flip
    if back then flip = redis.call('SADD', KEYS[2], id) else flip = redis.call('SREM', KEYS[2], id) end
    if flip == 1 then table.insert(changed, id) end
  end
end
return changed`;

// KEYS: total, process hash, process registry, heartbeat key, process's socket slots. ARGV: processId.
// Removes a dead process's sockets from the totals (and drops its slots, see SocketSlots);
// returns the users left without a socket (still shown online: see scheduleSettle).
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
 *
 * What clients are told is the `shown` set, moved only by real changes: a user's first socket
 * anywhere shows them online and their last one closing shows them offline, at once and
 * atomically with the counts. Sockets lost with a whole api process (a restart, a crash) do not:
 * their users are scheduled (scheduleSettle) and settled after a grace, by when their clients
 * have reconnected elsewhere; only those still without a socket are then shown offline. So a
 * restart under 10,000 sockets changes nothing anyone is told, and announces nothing.
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
  /** The users clients are told are online (every REST `online` field, every presence event). */
  private get shown() {
    return this.key('shown');
  }
  /** Users to settle after a grace: member user id, score the epoch ms when due. */
  private get due() {
    return this.key('due');
  }
  /** Users of a mass settle given their second grace (settleDue). */
  private get extended() {
    return this.key('extended');
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
    const shown = await this.redis.client.smismember(this.shown, ...userIds);
    return new Set(userIds.filter((_, i) => shown[i] === 1));
  }

  async isOnline(userId: string): Promise<boolean> {
    return (await this.redis.client.sismember(this.shown, userId)) === 1;
  }

  async onlineUserIds(): Promise<string[]> {
    return this.redis.client.smembers(this.shown);
  }

  /** Counts one more socket of the user in this process; true when that shows the user online (the first anywhere). */
  async socketConnected(userId: string): Promise<boolean> {
    return this.change(userId, 1);
  }

  /** Counts one socket less; true when that shows the user offline (the last anywhere). */
  async socketDisconnected(userId: string): Promise<boolean> {
    return this.change(userId, -1);
  }

  private async change(userId: string, delta: number): Promise<boolean> {
    const result = await this.redis.client.eval(
      CHANGE, 4, this.totals, this.processHash(this.processId), this.registry, this.shown, userId, String(delta), this.processId,
    );
    return Number(result) === 1;
  }

  /**
   * Users whose sockets went with a whole process: settled (settleDue) `graceMs` from now, not
   * before (a later schedule of the same user wins: ZADD GT).
   */
  async scheduleSettle(userIds: readonly string[], graceMs: number): Promise<void> {
    if (userIds.length === 0) return;
    const dueAt = String(Date.now() + graceMs);
    await this.redis.client.zadd(this.due, 'GT', ...userIds.flatMap((id) => [dueAt, id]));
  }

  /**
   * Settles the users whose grace has ended (any api process may); returns those whose shown
   * presence changed. Of MASS_SETTLE or more due at once, those still away get `graceMs` more,
   * once: shown offline only if they are not back by then.
   */
  async settleDue(graceMs: number, max = 10_000): Promise<string[]> {
    return (await this.redis.client.eval(
      SETTLE_DUE, 4, this.totals, this.shown, this.due, this.extended, String(Date.now()), String(max), String(graceMs), String(MASS_SETTLE),
    )) as string[];
  }

  /** Marks this process alive for PRESENCE_PROCESS_TTL_MS. */
  async heartbeat(): Promise<void> {
    await this.redis.client.set(this.heartbeatKey(this.processId), '1', 'PX', PRESENCE_PROCESS_TTL_MS);
  }

  /** Takes back the sockets of processes whose heartbeat expired; returns the users left without a socket (to schedule). */
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

  /** On clean shutdown: this process's sockets are gone; returns the users left without a socket (to schedule). */
  async releaseThisProcess(): Promise<string[]> {
    await this.redis.client.del(this.heartbeatKey(this.processId));
    return (await this.redis.client.eval(
      REAP, 5, this.totals, this.processHash(this.processId), this.registry, this.heartbeatKey(this.processId), this.slotsHash(this.processId), this.processId,
    )) as string[];
  }
}
