import type { TConversation, TPage } from '@chatbox/contracts';
import { ApiClient } from '@chatbox/server-testing';
import { BenchUser, inBatches, MessageSink } from './bench-user';
import { KeepAliveApiClient, RequestTimings } from './keep-alive-client';

export const PASSWORD = 'bench password 123';

/** Writes users straight into the database (the bench's user-seeder); indices [start, start + count). */
export type UserSeeder = (start: number, count: number) => Promise<Array<{ index: number; id: string; username: string; token: string }>>;
/** A browser's connections per origin (HTTP/1.1). */
const BROWSER_CONNECTIONS = 6;
/**
 * The connections a browser has open once the app has loaded: its first requests (the user, the
 * conversation list, the open conversation's history) go out side by side.
 */
const PAGE_LOAD_CONNECTIONS = 3;

/** The bench's users, their groups and the `all` conversation, set up through the public API only. */
export class Population {
  readonly users: BenchUser[] = [];
  allId = '';
  /** Group conversation id -> its members. */
  readonly groups = new Map<string, BenchUser[]>();
  /** The ids of the groups created ephemeral (DriverConfig.ephemeralShare). */
  readonly ephemeralGroups = new Set<string>();
  private readonly clients: ApiClient[];
  /**
   * Phase E's open-loop REST actions (see KeepAliveApiClient), one client per user as each person
   * has their own browser (6 connections per origin); the other phases keep the client they were
   * measured with. One pool of 64 connections shared by all users (until the eighth session)
   * made the REST changes queue in the driver behind each other whenever the api answered slower
   * than 64 / (changes per second).
   */
  private readonly keepAliveClients = new Map<BenchUser, KeepAliveApiClient>();
  /** Sign-ups answered 5xx and tried again (a finding under load: they should not fail). */
  registerRetries = 0;
  readonly registerErrors: string[] = [];

  constructor(
    readonly apiUrls: string[],
    private readonly runId: string,
    private readonly sink: MessageSink,
    /** Set (`--seed-users`): users are seeded instead of registered through the API. */
    private readonly seeder?: UserSeeder,
  ) {
    this.clients = apiUrls.map((u) => new ApiClient(u));
  }

  client(user: BenchUser): ApiClient {
    return this.clients[this.apiUrls.indexOf(user.apiUrl)] ?? this.clients[0];
  }

  keepAliveClient(user: BenchUser): ApiClient {
    let client = this.keepAliveClients.get(user);
    if (!client) this.keepAliveClients.set(user, (client = new KeepAliveApiClient(user.apiUrl, BROWSER_CONNECTIONS)));
    return client;
  }

  /** The kept-alive clients' request timings since the last call, of all users together. */
  takeRequestTimings(): RequestTimings {
    const all = [...this.keepAliveClients.values()].map((c) => c.takeTimings());
    return { queuedMs: all.flatMap((t) => t.queuedMs), answerMs: all.flatMap((t) => t.answerMs) };
  }

  /** Registers users up to `count` (indices continue after the existing ones). */
  async register(count: number): Promise<BenchUser[]> {
    const start = this.users.length;
    if (this.seeder && count > start) {
      const seeded = await this.seeder(start, count - start);
      const made = seeded.map((u) => new BenchUser(u.index, u.id, u.username, u.token, this.apiUrls[u.index % this.apiUrls.length]));
      this.users.push(...made);
      return made;
    }
    const indices = Array.from({ length: Math.max(0, count - start) }, (_, k) => start + k);
    const made = await inBatches(indices, 8, async (i) => {
      const apiUrl = this.apiUrls[i % this.apiUrls.length];
      const username = `b${this.runId}_${i}`;
      // bounded: a 5xx is retried a few times, as a person would press the button again
      for (let attempt = 1; ; attempt++) {
        const res = await this.clients[i % this.clients.length].post('/auth/register', { username, password: PASSWORD });
        if (res.status === 201) return new BenchUser(i, res.body.user.id, username, res.body.accessToken, apiUrl);
        if (res.status < 500 || attempt >= 5) throw new Error(`register ${username}: ${res.status} ${JSON.stringify(res.body)}`);
        this.registerRetries++;
        if (this.registerErrors.length < 5) this.registerErrors.push(`${res.status} ${res.body?.error?.code ?? ''}`);
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    });
    this.users.push(...made);
    return made;
  }

  /** Logs a user in again (new token); returns how long the login took. */
  async login(user: BenchUser): Promise<void> {
    const res = await this.client(user).post('/auth/login', { username: user.username, password: PASSWORD });
    if (res.status !== 200) throw new Error(`login ${user.username}: ${res.status}`);
    user.token = res.body.accessToken;
  }

  /** Groups of groupSize: user i joins group i mod groupCount; the first member creates it. */
  async createGroups(groupSize: number, ephemeralShare = 0): Promise<void> {
    const groupCount = Math.max(1, Math.floor(this.users.length / groupSize));
    const members: BenchUser[][] = Array.from({ length: groupCount }, () => []);
    for (const u of this.users) members[u.index % groupCount].push(u);
    await inBatches(members, 4, async (group, g) => {
      const [owner, ...rest] = group;
      // spread evenly: group g is ephemeral when the share's running count steps up at g
      const ephemeral = Math.floor((g + 1) * ephemeralShare) > Math.floor(g * ephemeralShare);
      const body = { name: `bench ${this.runId} g${g}`, visibility: 'private', memberIds: rest.map((u) => u.id), ...(ephemeral && { ephemeral }) };
      const res = await this.client(owner).post('/groups', body, owner.token);
      if (res.status !== 201) throw new Error(`create group ${g}: ${res.status} ${JSON.stringify(res.body)}`);
      const id = (res.body as TConversation).id;
      for (const u of group) u.groupId = id;
      this.groups.set(id, group);
      if (ephemeral) this.ephemeralGroups.add(id);
    });
  }

  async findAll(user: BenchUser): Promise<string> {
    const list = await this.conversations(user);
    const all = list.find((c) => c.kind === 'all');
    if (!all) throw new Error('no `all` conversation in GET /conversations');
    this.allId = all.id;
    return all.id;
  }

  async conversations(user: BenchUser): Promise<TConversation[]> {
    const res = await this.client(user).get('/conversations', user.token);
    if (res.status !== 200) throw new Error(`GET /conversations: ${res.status}`);
    const body = res.body as TConversation[] | TPage<TConversation>;
    return Array.isArray(body) ? body : body.items;
  }

  async connect(users: readonly BenchUser[], opts: { reconnection?: boolean } = {}): Promise<void> {
    await inBatches(users, 25, (u) => u.connect(this.sink, opts));
  }

  /**
   * Each user's kept-alive client opens the connections the app's page load leaves open, as a
   * browser has them before its user acts. A busy api accepts one new connection per turn of its
   * event loop (libuv since 1.45), so a bench whose every user opened its first connections in
   * the middle of phase E measured seconds of waiting for accept() that a user who has the app
   * open never sees (bench/README "Phase E, tenth session").
   */
  async openPageConnections(users: readonly BenchUser[]): Promise<void> {
    await inBatches(users, 25, async (u) => {
      const client = this.keepAliveClient(u);
      const answers = await Promise.all(Array.from({ length: PAGE_LOAD_CONNECTIONS }, () => client.get('/me', u.token)));
      const failed = answers.find((a) => a.status !== 200);
      if (failed) throw new Error(`GET /me: ${failed.status}`);
    });
    this.takeRequestTimings(); // not a phase's
  }

  disconnect(users: readonly BenchUser[]): void {
    for (const u of users) u.disconnect();
  }

  /** The other members of a user's group. */
  groupPeers(user: BenchUser): BenchUser[] {
    return (this.groups.get(user.groupId) ?? []).filter((u) => u !== user);
  }

  connected(): BenchUser[] {
    return this.users.filter((u) => u.socket?.connected);
  }
}
