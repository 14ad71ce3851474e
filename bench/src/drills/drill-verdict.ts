import { performance } from 'node:perf_hooks';
import { connectDatabase } from '@chatbox/server-db';
import type { DrillClient } from './drill-client';
import type { DrillTraffic } from './drill-traffic';

type Row = { id: string; conversationId: string; seq: number; senderId: string; clientMsgId: string };

export type Verdict = { ok: boolean; problems: string[]; facts: Record<string, unknown> };

/** The committed messages of the drill's conversations, by conversation, in seq order. */
async function storedMessages(databaseUrl: string, conversationIds: string[]) {
  const client = await connectDatabase(databaseUrl); // after a failover: the new primary
  try {
    // one snapshot: messages, lastSeq and outbox agree with each other
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const rows = (
      await client.query<Row>(
        `SELECT id, "conversationId", seq, "senderId", "clientMsgId" FROM "Message" WHERE "conversationId" = ANY($1::uuid[]) ORDER BY "conversationId", seq`,
        [conversationIds],
      )
    ).rows;
    const lastSeq = new Map(
      (await client.query<{ id: string; lastSeq: number }>(`SELECT id, "lastSeq" FROM "Conversation" WHERE id = ANY($1::uuid[])`, [conversationIds])).rows.map((r) => [r.id, r.lastSeq]),
    );
    const outbox = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM "FanoutOutbox"`)).rows[0].n);
    await client.query('COMMIT');
    return { rows, lastSeq, outbox };
  } finally {
    await client.end();
  }
}

/**
 * Waits (bounded) until every always-online client has received every stored message live,
 * then has each client fetch what it lacks, and judges:
 * - every acknowledged message is stored exactly once, seqs are 1..lastSeq without gaps, the
 *   outbox is empty (nothing half-stored: a stored message is also on its way out);
 * - every client holds exactly the stored messages of its group, in seq order, nothing twice;
 * - with requireLive, clients that never lost their socket got all of them live.
 */
export async function judge(opts: {
  databaseUrl: string;
  traffic: DrillTraffic;
  clients: DrillClient[];
  requireLive: boolean;
  settleMs?: number;
}): Promise<Verdict> {
  const { databaseUrl, traffic, clients } = opts;
  const groups = [...new Set(clients.map((c) => c.user.groupId))];
  const problems: string[] = [];
  const note = (p: string) => problems.length < 20 && problems.push(p);

  // Live deliveries may trail (retries after a crash): wait until they are complete or time is up.
  const settleStart = performance.now();
  let stored = await storedMessages(databaseUrl, groups);
  const liveGaps = () => {
    let missing = 0;
    for (const c of clients) {
      if (c.everDisconnected) continue;
      for (const r of stored.rows) if (r.conversationId === c.user.groupId && !c.live.has(r.id)) missing++;
    }
    return missing;
  };
  // The servers may still be working off a backlog: wait until nothing new is stored, the outbox
  // is empty and the always-online clients have everything, or time is up.
  let previousCount = -1;
  // (live gaps only where live delivery is required: elsewhere the clients fetch what they lack)
  while (
    (stored.rows.length !== previousCount || stored.outbox > 0 || (opts.requireLive && liveGaps() > 0)) &&
    performance.now() - settleStart < (opts.settleMs ?? 180_000)
  ) {
    await new Promise((r) => setTimeout(r, 1000));
    previousCount = stored.rows.length;
    stored = await storedMessages(databaseUrl, groups);
  }
  const settleMs = Math.round(performance.now() - settleStart);
  const liveMissed = liveGaps();

  const byId = new Map(stored.rows.map((r) => [r.id, r]));
  const acked = traffic.attempts.filter((a) => a.outcome === 'acked');
  for (const a of acked) {
    const row = byId.get(a.message!.id);
    if (!row) note(`acknowledged message ${a.message!.id} is not stored`);
    else if (row.seq !== a.message!.seq || row.conversationId !== a.conversationId) note(`acknowledged message ${row.id} stored with another seq/conversation`);
  }
  const keys = new Map<string, number>();
  for (const r of stored.rows) keys.set(`${r.senderId}/${r.clientMsgId}`, (keys.get(`${r.senderId}/${r.clientMsgId}`) ?? 0) + 1);
  const storedTwice = [...keys.values()].filter((n) => n > 1).length;
  if (storedTwice) note(`${storedTwice} clientMsgIds stored more than once`);
  const failedKeys = new Set(traffic.attempts.filter((a) => a.outcome !== 'acked').map((a) => `${a.senderId}/${a.clientMsgId}`));
  const failedButStored = [...failedKeys].filter((k) => keys.has(k)).length;

  const perConv = new Map<string, Row[]>();
  for (const r of stored.rows) {
    const list = perConv.get(r.conversationId);
    if (list) list.push(r);
    else perConv.set(r.conversationId, [r]);
  }
  for (const id of groups) {
    const rows = perConv.get(id) ?? [];
    if (rows.some((r, i) => r.seq !== i + 1)) note(`conversation ${id}: seqs are not 1..${rows.length} without gaps`);
    if ((stored.lastSeq.get(id) ?? 0) !== rows.length) note(`conversation ${id}: lastSeq ${stored.lastSeq.get(id)} but ${rows.length} messages`);
  }
  if (stored.outbox > 0) note(`${stored.outbox} outbox rows never relayed`);

  // Every client fetches what it lacks, as after a reconnect or on seeing a gap.
  await Promise.all(clients.map((c) => c.sync([c.user.groupId]).catch((e: Error) => note(`user ${c.user.index} sync: ${e.message}`))));
  let incomplete = 0;
  for (const c of clients) {
    const want = (perConv.get(c.user.groupId) ?? []).map((r) => r.id);
    const view = c.view.get(c.user.groupId) ?? new Map<number, string>();
    const got = [...view.entries()].sort((a, b) => a[0] - b[0]).map(([, id]) => id);
    if (got.length !== want.length || got.some((id, i) => id !== want[i])) {
      incomplete++;
      if (incomplete <= 3) note(`user ${c.user.index}: holds ${got.length} of ${want.length} messages of its group, or another order`);
    }
    if (c.conflicts) note(`user ${c.user.index}: ${c.conflicts} seqs delivered with two different messages`);
  }
  if (opts.requireLive && liveMissed > 0) note(`${liveMissed} deliveries to always-online users never arrived live`);

  return {
    ok: problems.length === 0,
    problems,
    facts: {
      ...traffic.counts(),
      stored: stored.rows.length,
      failedButStored,
      storedTwice,
      outboxLeft: stored.outbox,
      settleMs,
      clientsIncomplete: incomplete,
      liveMissed,
      liveRequired: opts.requireLive,
      liveDuplicates: clients.reduce((n, c) => n + c.liveDuplicates, 0),
      liveOutOfOrder: clients.reduce((n, c) => n + c.outOfOrder, 0),
      fetchedAfterReconnectOrGap: clients.reduce((n, c) => n + c.fetched, 0),
      reconnectedClients: clients.filter((c) => c.reconnects > 0).length,
      disconnectedClients: clients.filter((c) => c.everDisconnected).length,
    },
  };
}
