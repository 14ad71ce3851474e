import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { keyDigest } from '@chatbox/server-common';
import { RedisService } from '@chatbox/server-redis';
import { presenceKeyPrefix, PresenceStore } from './presence.store';

// KEYS: process registry, this process's slots hash. ARGV: presence key prefix, this processId,
// user field, address field, user cap, address cap. A total sums the slots hashes
// (`<prefix>process:<id>:slots`) of the processes whose heartbeat (`<prefix>alive:<id>`) is
// current: a killed process's slots stop counting when its heartbeat lapses, and the presence
// reaper deletes them. Returns 0 (slot taken), 1 (user at cap) or 2 (address at cap).
const TAKE = `
local processes = redis.call('SMEMBERS', KEYS[1])
local function total(field)
  local n = tonumber(redis.call('HGET', KEYS[2], field) or '0')
  for _, id in ipairs(processes) do
    if id ~= ARGV[2] and redis.call('EXISTS', ARGV[1] .. 'alive:' .. id) == 1 then
      n = n + tonumber(redis.call('HGET', ARGV[1] .. 'process:' .. id .. ':slots', field) or '0')
    end
  end
  return n
end
if total(ARGV[3]) >= tonumber(ARGV[5]) then return 1 end
if total(ARGV[4]) >= tonumber(ARGV[6]) then return 2 end
redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
redis.call('HINCRBY', KEYS[2], ARGV[4], 1)
redis.call('SADD', KEYS[1], ARGV[2])
return 0`;

// KEYS: this process's slots hash. ARGV: fields to release one slot of.
const RELEASE = `
for _, field in ipairs(ARGV) do
  if redis.call('HINCRBY', KEYS[1], field, -1) <= 0 then redis.call('HDEL', KEYS[1], field) end
end`;

export type SlotCaps = { perUser: number; perAddress: number };
export type SlotRefusal = 'user' | 'address';

/**
 * Open sockets per user and per client address, over every api process, for the socket caps.
 * Each process keeps its own counts beside its presence counts and shares their heartbeat, so a
 * dead process's slots are taken back the same way (PresenceStore.reapDeadProcesses).
 */
@Injectable()
export class SocketSlots {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisService,
    private readonly presence: PresenceStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.prefix = presenceKeyPrefix(config);
  }

  /** Takes a slot for one more socket of the user from the address, or says which cap refuses it. */
  async take(userId: string, address: string, caps: SlotCaps): Promise<SlotRefusal | null> {
    const { processId } = this.presence;
    const verdict = await this.redis.client.eval(
      TAKE, 2, this.presence.registry, this.presence.slotsHash(processId),
      this.prefix, processId, userField(userId), addressField(address), caps.perUser, caps.perAddress,
    );
    return verdict === 1 ? 'user' : verdict === 2 ? 'address' : null;
  }

  async release(userId: string, address: string): Promise<void> {
    await this.redis.client.eval(RELEASE, 1, this.presence.slotsHash(this.presence.processId), userField(userId), addressField(address));
  }
}

const userField = (userId: string) => `u:${userId}`;
// addresses are hashed: no client IPs in Redis
const addressField = (address: string) => `a:${keyDigest(address)}`;
