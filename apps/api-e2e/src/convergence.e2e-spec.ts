import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import { SOCKET_FEATURES, type TMessage, type TMessagePage } from '@chatbox/contracts';
import { loadConfig } from '@chatbox/server-config';
import { PrismaService } from '@chatbox/server-db';
import { ChatSocket, createGroup, eventually } from '@chatbox/server-testing';
import { ChangeFeed, ChangeSource } from '@chatbox/web-util';
import { ApiProcess, Cluster } from './support/cluster';

const USERS = 5;
const SEEDED = 20;
const CHANGES = 2_000;
const EMOJIS = ['👍', '🎉', ':ship_it:', ':+1:', '❤️'];

/** A deterministic generator (mulberry32): CONVERGENCE_SEED replays a run's choices (not their interleaving). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * API.md "Changes", proven end to end: 5 clients on 2 api processes and 2 workers make 2,000
 * random changes to one group while one client is away for a while and a worker is killed with
 * -9 (a replacement starts). Each client's view is built only from socket events and
 * `changes?after=` (ChangeFeed, the rule the web client uses); afterwards every view equals the
 * server's current state, every client applied each eventSeq at most once, in rising order, and
 * every live event rose above the ones before it (or repeated one after the worker was killed).
 */
describe('convergence of the change stream across processes and faults', () => {
  const cluster = new Cluster();
  const sockets: ChatSocket[] = [];
  let prisma: PrismaService;
  let apis: ApiProcess[];
  let workers: ReturnType<Cluster['startWorker']>[];

  before(async () => {
    await cluster.prepare();
    prisma = new PrismaService({ ...loadConfig(), databaseUrl: cluster.databaseUrl, databasePoolSize: 4 });
    apis = await Promise.all([cluster.startApi('api1'), cluster.startApi('api2')]);
    workers = [cluster.startWorker('worker1'), cluster.startWorker('worker2')];
    await cluster.waitForWorkers(2);
  });
  after(async () => {
    sockets.forEach((s) => s.disconnect());
    await prisma.$disconnect();
    await cluster.stopAll();
  });

  /** One person: a token, an api, a socket (while online) and the view the socket and changes build. */
  type Client = { n: number; id: string; token: string; api: ApiProcess; feed: ChangeFeed; log: Array<[number, ChangeSource]>; arrivals: number[]; socket?: ChatSocket };

  const open = (c: Client, conversationId: string): Promise<void> => {
    const socket: ChatSocket = io(c.api.baseUrl, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: { token: c.token, features: [SOCKET_FEATURES.batch] },
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    c.socket = socket;
    const mine = (m: TMessage) => {
      if (m.conversationId !== conversationId) return;
      c.arrivals.push(m.eventSeq);
      c.feed.receive(m);
    };
    socket.on('message', mine);
    socket.on('messages', (e) => e.messages.forEach(mine));
    socket.on('message:updated', mine);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
  };

  test('2,000 random changes by 5 clients: every view equals the stored state, each eventSeq applied once, in order', async () => {
    const seed = Number(process.env.CONVERGENCE_SEED ?? Date.now() % 1_000_000);
    const rnd = random(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
    const people = await Promise.all(Array.from({ length: USERS }, (_, n) => apis[n % 2].client.registerUser()));
    const group = await createGroup(prisma, people[0].user.id, people.slice(1).map((p) => p.user.id));
    const clients: Client[] = people.map((p, n) => {
      const api = apis[n % 2];
      const log: Client['log'] = [];
      const fetchChanges = async (after: number) => {
        const res = await api.client.get<TMessagePage>(`/conversations/${group}/changes?after=${after}&limit=100`, p.accessToken);
        if (res.status !== 200) throw new Error(`changes?after=${after}: ${res.status}`);
        return res.body;
      };
      return { n, id: p.user.id, token: p.accessToken, api, log, arrivals: [], feed: new ChangeFeed(fetchChanges, { onApply: (m, source) => log.push([m.eventSeq, source]) }) };
    });
    await Promise.all(clients.map((c) => open(c, group)));

    // what the clients know of the messages, to aim their changes (the views are checked, not used)
    const known: Array<{ id: string; senderId: string; root: boolean }> = [];
    const statuses = new Map<string, number>();
    const count = (what: string, status: number) => statuses.set(`${what} ${status}`, (statuses.get(`${what} ${status}`) ?? 0) + 1);
    const url = (rest = '') => `/conversations/${group}/messages${rest}`;
    const send = async (c: Client, kind: 'send' | 'reply', threadRootId?: string) => {
      const res = await c.api.client.post<TMessage>(url(), { clientMsgId: `cv-${c.n}-${known.length}-${rnd()}`, body: `${kind} by ${c.n}`, threadRootId }, c.token);
      count(kind, res.status);
      if (res.status === 201) known.push({ id: res.body.id, senderId: c.id, root: !threadRootId });
    };
    for (let i = 0; i < SEEDED; i++) await send(clients[i % USERS], 'send');

    const change = async (c: Client) => {
      const roll = rnd();
      const target = pick(known);
      const emoji = encodeURIComponent(pick(EMOJIS));
      if (roll < 0.2) return send(c, 'send');
      if (roll < 0.35) return send(c, 'reply', pick(known.filter((m) => m.root)).id);
      if (roll < 0.55) {
        const own = known.filter((m) => m.senderId === c.id);
        const res = await c.api.client.patch(url(`/${pick(own.length ? own : known).id}`), { body: `edited by ${c.n} ${rnd()}` }, c.token);
        return count('edit', res.status);
      }
      if (roll < 0.62) {
        // mostly one's own; the owner (client 0) also moderates others'
        const own = known.filter((m) => m.senderId === c.id);
        const res = await c.api.client.delete(url(`/${(own.length && rnd() < 0.8 ? pick(own) : target).id}`), c.token);
        return count('delete', res.status);
      }
      if (roll < 0.85) return count('react', (await c.api.client.put(url(`/${target.id}/reactions/${emoji}`), undefined, c.token)).status);
      return count('unreact', (await c.api.client.delete(url(`/${target.id}/reactions/${emoji}`), c.token)).status);
    };

    // 5 clients, two requests in flight each, CHANGES in all; client 4 goes away for a while (its
    // socket closed, no actions) and comes back through the other api; a worker is killed with -9
    // mid-way and a replacement started
    let done = 0;
    const away = clients[USERS - 1];
    let killedAt = -1;
    let awayFrom = -1;
    let awayUntil = -1;
    let back: Promise<void> | undefined;
    const goAway = async () => {
      awayFrom = done;
      away.socket!.disconnect();
      await eventually(() => done >= CHANGES * 0.6, 'the others changing things meanwhile', 60_000);
      awayUntil = done;
      away.api = apis[(away.n + 1) % 2];
      await open(away, group);
      await away.feed.catchUp();
    };
    const started = Date.now();
    await Promise.all(
      [...clients, ...clients].map(async (c) => {
        while (done < CHANGES) {
          if (c === away && done >= CHANGES * 0.2) await (back ??= goAway());
          if (killedAt < 0 && done >= CHANGES * 0.4) {
            killedAt = done;
            await cluster.kill(workers[0]);
            workers[0] = cluster.startWorker('worker3');
          }
          done++;
          await change(c);
        }
      }),
    );
    const changedMs = Date.now() - started;

    const failures = [...statuses].filter(([k]) => / 5\d\d$| 429$| 401$/.test(k));
    assert.deepEqual(failures, [], `no server errors or refusals of the caller: ${JSON.stringify([...statuses])}`);
    const { lastEventSeq } = await prisma.conversation.findUniqueOrThrow({ where: { id: group }, select: { lastEventSeq: true } });
    await eventually(() => clients.every((c) => c.feed.cursor === lastEventSeq), `every client at eventSeq ${lastEventSeq}`, 60_000);

    // the stored state, each message as GET .../messages answers it now
    const stored: TMessage[] = [];
    for (let after = 0; ; ) {
      const page = await apis[0].client.get<TMessagePage>(url(`?after=${after}&limit=100`), clients[0].token);
      assert.equal(page.status, 200);
      stored.push(...page.body.items);
      if (page.body.items.length < 100) break;
      after = page.body.items.at(-1)!.seq;
    }
    assert.equal(stored.length, await prisma.message.count({ where: { conversationId: group } }));
    assert.equal(Math.max(...stored.map((m) => m.eventSeq)), lastEventSeq);
    const bySeq = (list: Iterable<TMessage>) => [...list].sort((a, b) => a.seq - b.seq);
    for (const c of clients) {
      assert.deepEqual(bySeq(c.feed.messages.values()), stored, `client ${c.n}'s view equals the stored state (seed ${seed})`);
      const seqs = c.log.map(([s]) => s);
      assert.ok(
        seqs.every((s, i) => i === 0 || s > seqs[i - 1]),
        `client ${c.n} applied each eventSeq once, in rising order (seed ${seed})`,
      );
    }
    // Live events, as they arrived (before ChangeFeed or changes?after=), only rise in eventSeq:
    // a database fill sends current states ordered by their eventSeq (realtime.ts "Order"), so a
    // superseded change leaves a gap, never an older event behind a newer one. The one exception
    // is a repeat of an event already received (a killed worker's job delivered again).
    const backwards = clients.map((c) => {
      const seen = new Set<number>();
      let max = 0;
      return c.arrivals.filter((s) => {
        const behind = s < max && !seen.has(s);
        seen.add(s);
        max = Math.max(max, s);
        return behind;
      });
    });
    backwards.forEach((list, n) =>
      assert.deepEqual(list.slice(0, 10), [], `client ${n}: ${list.length} live events below an earlier one, not repeats (seed ${seed})`),
    );
    const repeats = clients.map((c) => c.arrivals.length - new Set(c.arrivals).size);
    const caughtUp = away.log.filter(([, source]) => source === 'catch-up').length;
    assert.ok(caughtUp > 0, 'the client that was away caught up through changes?after=');
    console.log(
      `# convergence (seed ${seed}): ${done} changes in ${changedMs} ms, ${stored.length} messages, lastEventSeq ${lastEventSeq}; ` +
        `away from change ${awayFrom} to ${awayUntil}, caught up ${caughtUp} states; worker killed at change ${killedAt}; ` +
        `per client: gaps ${clients.map((c) => c.feed.gaps).join('/')}, live events repeated ${repeats.join('/')}, ` +
        `dropped as already held ${clients.map((c) => c.feed.duplicates).join('/')}; ` +
        `answers ${[...statuses].map(([k, v]) => `${k}: ${v}`).join(', ')}`,
    );
  });
});
