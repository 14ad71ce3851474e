/**
 * The Lua scripts of an ephemeral room (EphemeralRoomStore): each runs atomically in Redis, so
 * seq and eventSeq stay dense and every change takes the next eventSeq exactly once.
 *
 * Keys of one room, in this order (ROOM_KEYS): meta (hash: the counters `seq`, `eventSeq`; no
 * expiry, it is numbers only and goes with the room), msgs (hash id -> state JSON), seq (zset id
 * by seq), ev (zset id by eventSeq of its latest change), time (zset id by creation time, ms),
 * client (hash "senderId:clientMsgId" -> id), rc (hash rootId -> reply count), rl (hash rootId ->
 * newest reply time), auth (hash id -> author hash of an anonymous message, never part of an
 * answer: see EphemeralAuthor). All but meta expire with the hard time-to-live after the room's
 * last write.
 */
export const ROOM_KEY_NAMES = ['meta', 'msgs', 'seq', 'ev', 'time', 'client', 'rc', 'rl', 'auth'] as const;

/**
 * KEYS: the room's keys, then the set of rooms. ARGV: id, clientKey, state JSON, createdAt (ms),
 * threadRootId or '', ttl (s), roomId, createdAt (ISO), the sender's other clientKey (a retry
 * that flipped `anonymous` is still a retry), the author hash of an anonymous message or ''.
 * Returns {0, existingId} for a duplicate clientMsgId, {-1} when the thread root is not there,
 * else {1, seq, eventSeq, rootEventSeq, rootState, rootReplyCount}.
 */
export const APPEND = `
local existing = redis.call('HGET', KEYS[6], ARGV[2]) or redis.call('HGET', KEYS[6], ARGV[9])
if existing and redis.call('HEXISTS', KEYS[2], existing) == 1 then return {0, existing} end
local root = ARGV[5]
if root ~= '' and redis.call('HEXISTS', KEYS[2], root) == 0 then return {-1} end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
local ev = redis.call('HINCRBY', KEYS[1], 'eventSeq', 1)
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[3], seq, ARGV[1])
redis.call('ZADD', KEYS[4], ev, ARGV[1])
redis.call('ZADD', KEYS[5], ARGV[4], ARGV[1])
redis.call('HSET', KEYS[6], ARGV[2], ARGV[1])
if ARGV[10] ~= '' then redis.call('HSET', KEYS[9], ARGV[1], ARGV[10]) end
local rootEv, rootState, rootCount = 0, '', 0
if root ~= '' then
  rootCount = redis.call('HINCRBY', KEYS[7], root, 1)
  redis.call('HSET', KEYS[8], root, ARGV[8])
  rootEv = redis.call('HINCRBY', KEYS[1], 'eventSeq', 1)
  redis.call('ZADD', KEYS[4], rootEv, root)
  rootState = redis.call('HGET', KEYS[2], root)
end
for i = 2, 9 do redis.call('EXPIRE', KEYS[i], ARGV[6]) end
redis.call('SADD', KEYS[10], ARGV[7])
return {1, seq, ev, rootEv, rootState, rootCount}`;

/**
 * Compare-and-set of one message's state. KEYS: meta, msgs, ev. ARGV: id, the eventSeq the new
 * state was computed from, the new state JSON.
 * Returns the new eventSeq; 0 when the message changed meanwhile (compute again), -1 when it is gone.
 */
export const REPLACE = `
local current = redis.call('ZSCORE', KEYS[3], ARGV[1])
if not current then return -1 end
if tonumber(current) ~= tonumber(ARGV[2]) then return 0 end
local ev = redis.call('HINCRBY', KEYS[1], 'eventSeq', 1)
redis.call('ZADD', KEYS[3], ev, ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return ev`;

/**
 * Removes the messages created at or before ARGV[1] (ms): the time-to-live's hard cap, applied
 * before every read and by the sweeper. KEYS: the room's keys. Returns how many went.
 */
export const PURGE = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', ARGV[1])
for _, id in ipairs(ids) do
  local state = redis.call('HGET', KEYS[2], id)
  local hash = redis.call('HGET', KEYS[9], id)
  if hash then
    redis.call('HDEL', KEYS[6], 'h:' .. hash)
  elseif state then
    local m = cjson.decode(state)
    redis.call('HDEL', KEYS[6], m.sender.id .. ':' .. m.clientMsgId)
  end
  redis.call('HDEL', KEYS[9], id)
  redis.call('HDEL', KEYS[2], id)
  redis.call('ZREM', KEYS[3], id)
  redis.call('ZREM', KEYS[4], id)
  redis.call('ZREM', KEYS[5], id)
  redis.call('HDEL', KEYS[7], id)
  redis.call('HDEL', KEYS[8], id)
end
return #ids`;
