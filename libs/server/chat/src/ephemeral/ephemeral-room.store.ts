import { Inject, Injectable } from '@nestjs/common';
import type { TMessage } from '@chatbox/contracts';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { RedisService } from '@chatbox/server-redis';
import { APPEND, PURGE, REPLACE, ROOM_KEY_NAMES } from './ephemeral-room.scripts';

/** What a message's state JSON holds: the counters (seq, eventSeq, replies) live in their own keys. */
export type EphemeralState = Omit<TMessage, 'seq' | 'eventSeq' | 'replyCount' | 'lastReplyAt'>;

export type AppendResult =
  | { outcome: 'created'; message: TMessage; root: TMessage | null }
  | { outcome: 'duplicate'; message: TMessage | null }
  | { outcome: 'no_root' };

/** Bounds a whole-room read (search, threads, unread mentions): a room holds at most one TTL of messages. */
export const ROOM_SCAN_MAX = 5_000;

/**
 * An ephemeral room's messages in Redis (ARCHITECTURE.md "Ephemeral rooms live in Redis only"):
 * dense seq and eventSeq counters, each message's current state, its reply count, and the
 * indexes history, changes and the time-to-live need. Nothing here reaches PostgreSQL.
 */
@Injectable()
export class EphemeralRoomStore {
  private readonly prefix: string;
  readonly ttlSeconds: number;

  constructor(
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.prefix = `${config.redisPrefix}:eph:`;
    this.ttlSeconds = config.ephemeral.ttlSeconds;
  }

  /** Every key of the room ({roomId} is a hash tag: one cluster slot, so scripts may touch them all). */
  keys(roomId: string): string[] {
    return ROOM_KEY_NAMES.map((name) => `${this.prefix}{${roomId}}:${name}`);
  }

  /** The set of rooms that may hold keys (the sweeper's list). */
  get roomsKey(): string {
    return `${this.prefix}rooms`;
  }

  /**
   * `author`: who sends, known to this call only. A named message is found again by its sender's
   * id and clientMsgId; an anonymous one by its author hash alone (see EphemeralAuthor), which
   * the room keeps beside the state, never in it.
   */
  async append(state: EphemeralState, author: { userId: string; authorHash: string }): Promise<AppendResult> {
    const roomId = state.conversationId;
    const createdAt = new Date(state.createdAt);
    const reply = (await this.redis.client.eval(
      APPEND,
      ROOM_KEY_NAMES.length + 1,
      ...this.keys(roomId),
      this.roomsKey,
      state.id,
      state.anonymous ? anonymousClientKey(author.authorHash) : clientKey(author.userId, state.clientMsgId),
      JSON.stringify(state),
      String(createdAt.getTime()),
      state.threadRootId ?? '',
      String(this.ttlSeconds),
      roomId,
      state.createdAt,
      state.anonymous ? clientKey(author.userId, state.clientMsgId) : anonymousClientKey(author.authorHash),
      state.anonymous ? author.authorHash : '',
    )) as Array<number | string>;
    if (Number(reply[0]) === -1) return { outcome: 'no_root' };
    if (Number(reply[0]) === 0) return { outcome: 'duplicate', message: (await this.read(roomId, [String(reply[1])]))[0] ?? null };
    const [, seq, eventSeq, rootEventSeq, rootState, rootCount] = reply;
    const message: TMessage = { ...state, seq: Number(seq), eventSeq: Number(eventSeq), replyCount: 0, lastReplyAt: null };
    if (!rootState) return { outcome: 'created', message, root: null };
    const parsed = JSON.parse(String(rootState)) as EphemeralState;
    // the root's seq is not in the script's answer: one more read, only for replies
    const rootSeq = Number(await this.redis.client.zscore(this.keys(roomId)[2], parsed.id));
    const root: TMessage = { ...parsed, seq: rootSeq, eventSeq: Number(rootEventSeq), replyCount: Number(rootCount), lastReplyAt: state.createdAt };
    return { outcome: 'created', message, root };
  }

  /** Stores `next` when the message is still at `eventSeq`; 'conflict' when it changed meanwhile. */
  async replace(roomId: string, eventSeq: number, next: EphemeralState): Promise<number | 'conflict' | 'missing'> {
    const [meta, msgs, , ev] = this.keys(roomId);
    const result = Number(await this.redis.client.eval(REPLACE, 3, meta, msgs, ev, next.id, String(eventSeq), JSON.stringify(next)));
    return result === 0 ? 'conflict' : result === -1 ? 'missing' : result;
  }

  /** The messages of these ids that are still there, in the order asked. */
  async read(roomId: string, ids: readonly string[]): Promise<TMessage[]> {
    if (ids.length === 0) return [];
    const [, msgs, seq, ev, , , rc, rl] = this.keys(roomId);
    const c = this.redis.client;
    const [states, seqs, evs, counts, lasts] = await Promise.all([c.hmget(msgs, ...ids), c.zmscore(seq, ...ids), c.zmscore(ev, ...ids), c.hmget(rc, ...ids), c.hmget(rl, ...ids)]);
    const messages: TMessage[] = [];
    ids.forEach((_, i) => {
      const state = states[i];
      if (state === null || seqs[i] === null || evs[i] === null) return; // purged meanwhile
      messages.push({ ...(JSON.parse(state) as EphemeralState), seq: Number(seqs[i]), eventSeq: Number(evs[i]), replyCount: Number(counts[i] ?? 0), lastReplyAt: lasts[i] ?? null });
    });
    return messages;
  }

  /** The sender's message of this clientMsgId, named or anonymous (by its author hash), if still there. */
  async sentBy(roomId: string, userId: string, clientMsgId: string, authorHash: string): Promise<TMessage | null> {
    const client = this.keys(roomId)[5];
    const [named, anonymous] = await this.redis.client.hmget(client, clientKey(userId, clientMsgId), anonymousClientKey(authorHash));
    const id = named ?? anonymous;
    return id ? this.one(roomId, id) : null;
  }

  /** The author hash an anonymous message was stored with (null for a named one). */
  async authorHash(roomId: string, id: string): Promise<string | null> {
    return this.redis.client.hget(this.keys(roomId)[8], id);
  }

  /** authorHash for several messages at once, in the order asked. */
  async authorHashes(roomId: string, ids: readonly string[]): Promise<Array<string | null>> {
    return ids.length === 0 ? [] : this.redis.client.hmget(this.keys(roomId)[8], ...ids);
  }

  async one(roomId: string, id: string): Promise<TMessage | null> {
    await this.purgeExpired(roomId);
    return (await this.read(roomId, [id]))[0] ?? null;
  }

  /** Ids by seq, ascending: those in (after, before), the first `limit` (or the last `limit` when `newest`). */
  async idsBySeq(roomId: string, range: { after?: number; before?: number; limit: number; newest?: boolean }): Promise<string[]> {
    const key = this.keys(roomId)[2];
    const min = range.after === undefined ? '-inf' : `(${range.after}`;
    const max = range.before === undefined ? '+inf' : `(${range.before}`;
    if (range.newest) return (await this.redis.client.zrevrangebyscore(key, max, min, 'LIMIT', 0, range.limit)).reverse();
    return this.redis.client.zrangebyscore(key, min, max, 'LIMIT', 0, range.limit);
  }

  /** Ids whose latest change is after `after`, ascending by eventSeq. */
  idsByEventSeq(roomId: string, after: number, limit: number): Promise<string[]> {
    return this.redis.client.zrangebyscore(this.keys(roomId)[3], `(${after}`, '+inf', 'LIMIT', 0, limit);
  }

  /** The room's counters: 0 for a room that holds nothing yet. */
  async counters(roomId: string): Promise<{ lastSeq: number; lastEventSeq: number }> {
    const [seq, eventSeq] = await this.redis.client.hmget(this.keys(roomId)[0], 'seq', 'eventSeq');
    return { lastSeq: Number(seq ?? 0), lastEventSeq: Number(eventSeq ?? 0) };
  }

  /** Removes what the time-to-live has expired. */
  async purgeExpired(roomId: string, now = Date.now()): Promise<number> {
    return Number(await this.redis.client.eval(PURGE, ROOM_KEY_NAMES.length, ...this.keys(roomId), String(now - this.ttlSeconds * 1000)));
  }

  /** The room and everything in it, gone for good. */
  async destroy(roomId: string): Promise<void> {
    await this.redis.client.del(...this.keys(roomId));
    await this.redis.client.srem(this.roomsKey, roomId);
  }

  /** The rooms that may hold keys, a page at a time (SSCAN cursor; '0' starts and ends). */
  async roomsPage(cursor: string): Promise<{ cursor: string; roomIds: string[] }> {
    const [next, roomIds] = await this.redis.client.sscan(this.roomsKey, cursor, 'COUNT', 200);
    return { cursor: next, roomIds };
  }
}

const clientKey = (senderId: string, clientMsgId: string): string => `${senderId}:${clientMsgId}`;
/** PURGE removes it by the same name (ephemeral-room.scripts.ts). */
const anonymousClientKey = (authorHash: string): string => `h:${authorHash}`;
