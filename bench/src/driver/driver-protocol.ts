/** What the bench tells its load driver (a child process) to do; passed as JSON in BENCH_DRIVER_CONFIG. */
export type DriverConfig = {
  /** Every api process's base URL; user i talks to apiUrls[i % n]. */
  apiUrls: string[];
  runId: string;
  phases: PhaseName[];
  /** Users registered and connected in setup; groups of groupSize, user i in group i mod (users / groupSize). */
  users: number;
  groupSize: number;
  bodyBytes: number;
  /**
   * Phase A: open-loop total rates, doubling from startRate up to maxRate plus the targetRates
   * in that range (the figures the targets name), stepSeconds each.
   */
  phaseA: { startRate: number; maxRate: number; targetRates: number[]; stepSeconds: number; maxSteps: number; p99LimitMs: number };
  /** Phase A-cold: a fresh api (restarted by the bench), then REST sends at `rate` at once, for `seconds`. */
  phaseACold: { rate: number; seconds: number };
  /** Phase B: `messages` to `all`, one per intervalMs, once for each connected-user count. */
  phaseB: { messages: number; intervalMs: number; userCounts: number[] };
  /** Phase C: messages that arrive (half in the user's group, half in `all`) while it is away. */
  phaseC: { messages: number };
  /** Phase D: a conversation of `messages` seeded rows; `fetches` of each page kind. */
  phaseD: { messages: number; fetches: number; pageSize: number; warmupFetches: number };
  /**
   * Phase E: mixed actions (messages, replies, edits, reactions, deletes) at `rate` per second
   * for `seconds`, while one member is offline; then it catches up with changes?after=. Before
   * them, `warmupSeconds` of the same traffic, reported on their own and not measured with the
   * rest: a long-running server has every change path compiled (a freshly started one is phase
   * A-cold's subject).
   */
  phaseE: { rate: number; seconds: number; warmupSeconds: number };
  /** How long to wait for outstanding deliveries after the last send of a step. */
  settleMs: number;
  /**
   * Share of the groups created ephemeral (0..1, spread evenly: 0.5 is every other group); phase
   * A then reports latencies per kind of group beside the totals.
   */
  ephemeralShare: number;
  /**
   * Bench only: users are written straight into the database (one precomputed password hash,
   * tokens signed by the bench; stack/user-seeder.ts) instead of registered through the API.
   */
  seedUsers: boolean;
  /**
   * Child processes of the driver that hold the sockets of the users beyond setup's (phase B's
   * larger counts, phase R), each a share, reporting receipts to the driver (socket-holders.ts);
   * 0: the driver holds every socket itself.
   */
  holders: number;
  /**
   * Phase R: `users` connected (with reconnection on, as clients are), the api restarted, and
   * how long until every one is connected again (the target: within deadlineMs).
   */
  phaseR: { users: number; deadlineMs: number };
  /** Share of phase A's senders (spread evenly) that send over REST; the others use their sockets. */
  restShare: number;
};

export const PHASE_NAMES = ['A-cold', 'A', 'B', 'C', 'D', 'E', 'R'] as const;
export type PhaseName = (typeof PHASE_NAMES)[number];

/** One JSON-able phase result; `ok` false means something was lost or broken. */
export type PhaseResult = { phase: string; ok: boolean; problems: string[] } & Record<string, unknown>;

export type DriverToBench =
  | { type: 'phase'; result: PhaseResult }
  /** Brackets a part of a phase (a rate step) whose server CPU the bench should measure. */
  | { type: 'mark'; label: string; edge: 'start' | 'end' }
  | { type: 'seed-history'; requestId: number; conversationId: string; senderId: string; count: number; bodyBytes: number }
  /** Bench only: users written with SQL (DriverConfig.seedUsers); answered with SeededUser[]. */
  | { type: 'seed-users'; requestId: number; start: number; count: number; password: string }
  /** Stop api `index` (SIGINT, as a deploy does) and start a new one on its port; answered with RestartedApi. */
  | { type: 'restart-api'; requestId: number; index: number }
  /** A child process of the driver (a socket holder) whose CPU and RSS the bench should sample. */
  | { type: 'track'; name: string; pid: number }
  | { type: 'done' }
  | { type: 'failed'; error: string };

/** The bench's answer to a request (seed-history, seed-users, restart-api). */
export type BenchToDriver = { type: 'reply'; requestId: number; error?: string; value?: unknown };

/** When the old api process was told to stop, had exited, and the new one answered its health check (epoch ms). */
export type RestartedApi = { stopAt: number; exitedAt: number; readyAt: number; name: string };

export const DRIVER_CONFIG_ENV = 'BENCH_DRIVER_CONFIG';
