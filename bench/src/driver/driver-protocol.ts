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
   * for `seconds`, while one member is offline; then it catches up with changes?after=.
   */
  phaseE: { rate: number; seconds: number };
  /** How long to wait for outstanding deliveries after the last send of a step. */
  settleMs: number;
  /**
   * Share of the groups created ephemeral (0..1, spread evenly: 0.5 is every other group); phase
   * A then reports latencies per kind of group beside the totals.
   */
  ephemeralShare: number;
  /** Share of phase A's senders (spread evenly) that send over REST; the others use their sockets. */
  restShare: number;
};

export const PHASE_NAMES = ['A-cold', 'A', 'B', 'C', 'D', 'E'] as const;
export type PhaseName = (typeof PHASE_NAMES)[number];

/** One JSON-able phase result; `ok` false means something was lost or broken. */
export type PhaseResult = { phase: string; ok: boolean; problems: string[] } & Record<string, unknown>;

export type DriverToBench =
  | { type: 'phase'; result: PhaseResult }
  /** Brackets a part of a phase (a rate step) whose server CPU the bench should measure. */
  | { type: 'mark'; label: string; edge: 'start' | 'end' }
  | { type: 'seed-history'; requestId: number; conversationId: string; senderId: string; count: number; bodyBytes: number }
  /** Phase A-cold: stop the first api process and start a fresh one on its port; answered `restarted`. */
  | { type: 'restart-api'; requestId: number }
  | { type: 'done' }
  | { type: 'failed'; error: string };

export type BenchToDriver = { type: 'seeded' | 'restarted'; requestId: number; error?: string };

export const DRIVER_CONFIG_ENV = 'BENCH_DRIVER_CONFIG';
