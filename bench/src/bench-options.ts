import { parseArgs } from 'node:util';
import { DriverConfig, PHASE_NAMES } from './driver/driver-protocol';

export type BenchOptions = {
  quick: boolean;
  apis: number;
  workers: number;
  /** Writes V8 CPU profiles of the server processes to this folder. */
  profileDir?: string;
  /** More node flags for the api processes only (--trace-gc, --inspect=PORT, heap sizes...). */
  apiNodeArgs: string[];
  bcryptCost: number;
  /** Message search's column and index dropped after migrating (the send path without them). */
  withoutSearchIndex: boolean;
  driver: Omit<DriverConfig, 'apiUrls' | 'runId'>;
};

const FULL: BenchOptions['driver'] = {
  // B before A: B's memory figure is then the footprint of 1,000 connected users, not what A's
  // last step (overload by design: the ladder climbs until a step fails) left in the api's heap
  // A-cold first: it restarts the api, whose every path setup warmed, and times the first burst
  phases: ['A-cold', 'B', 'A', 'C', 'D', 'E'],
  users: 200,
  groupSize: 10,
  bodyBytes: 100,
  phaseA: { startRate: 100, maxRate: 25_600, targetRates: [1000, 2000], stepSeconds: 20, maxSteps: 12, p99LimitMs: 250 },
  phaseACold: { rate: 1000, seconds: 10 },
  phaseB: { messages: 50, intervalMs: 100, userCounts: [200, 1000] },
  phaseC: { messages: 1000 },
  // the server's request path is compiled by V8 over its first couple of thousand requests; a
  // long-running server is measured in that steady state, so D times its fetches after warming up
  phaseD: { messages: 100_000, fetches: 200, pageSize: 50, warmupFetches: 2000 },
  // 22 s at 1,000 actions/s into 20 groups: the offline member's group (9 of 199 actors) takes
  // ~1,000 actions, ~1,100 changes with the replies' root updates: the catch-up the target names
  phaseE: { rate: 1000, seconds: 22, warmupSeconds: 3 },
  settleMs: 10_000,
  ephemeralShare: 0,
  seedUsers: false,
  holders: 0,
  phaseR: { users: 1000, deadlineMs: 30_000 },
  // the contract's two ways to send, side by side in every step
  restShare: 0.5,
};

/** Small versions of the same phases: a smoke test under a minute, for CI. */
const QUICK: BenchOptions['driver'] = {
  ...FULL,
  users: 40,
  // 50 msgs/s: a rate any healthy build sustains even on a busy CI machine; the smoke test
  // checks that nothing is lost, not how fast
  phaseA: { ...FULL.phaseA, startRate: 50, stepSeconds: 5, maxSteps: 1 },
  phaseACold: { rate: 50, seconds: 5 },
  phaseB: { messages: 20, intervalMs: 100, userCounts: [40] },
  phaseC: { messages: 100 },
  phaseD: { messages: 5000, fetches: 50, pageSize: 50, warmupFetches: 50 },
  // every kind of action, a few dozen changes for the offline member to catch up
  phaseE: { rate: 50, seconds: 5, warmupSeconds: 1 },
  // long enough that only a stuck send or delivery counts, even on a busy CI machine
  settleMs: 15_000,
};

const HELP = `npm run bench -- [options]
  --quick              small phases, under a minute (CI smoke test)
  --apis N             api processes (default 1)
  --workers N          worker processes (default 1)
  --phases A-cold,B,A,C,D,E,R  which phases to run after setup, in this order (default all but R, in
                       this order; A-cold restarts the api and sends over REST at once)
  --users N            users in setup (default 200; 40 with --quick)
  --rates START:MAX    phase A rate steps in msgs/s (default 100:25600, doubling, plus 1000 and 2000)
  --step-seconds S     seconds per phase A step (default 20; 5 with --quick, at 50 msgs/s)
  --fanout-users N,M   phase B connected-user counts (default 200,1000)
  --fanout-messages N:MS  phase B messages per user count and the pause between them (default 50:100)
  --seed-users         bench only: users written straight into the database with one precomputed
                       password hash and tokens the bench signs, instead of registered through
                       the API (10,000 sign-ups would measure sign-up); stated in the results
  --holders N          socket holder processes for the users beyond setup's (phase B, R); default
                       0, or one per 2,500 such users when B or R has more than 2,000 users
  --reconnect-users N  phase R (not in the default list): N users connected, api-1 restarted,
                       time until all are back, errors, presence events/s, CPU (default: the
                       largest --fanout-users count)
  --history N          phase D conversation size (default 100000)
  --history-warmup N   phase D unmeasured fetches before timing (default 2000; 0 measures cold)
  --cold RATE:SECONDS  phase A-cold's burst over REST right after the api restarts (default 1000:10)
  --rest-share F       share of phase A's senders that send over REST, 0..1 (default 0.5; 0: all
                       over the socket, as before the eighth session)
  --mixed RATE:SECONDS[:WARMUP]  phase E actions per second and duration, after WARMUP seconds of
                       the same traffic reported apart (default 1000:22:3; 50:5:1 with --quick;
                       WARMUP 0 measures the change paths cold)
  --profile DIR        node --cpu-prof on api and worker processes, profiles in DIR
  --api-node-args="F"  more node flags for the api processes, space-separated (with "=": they
                       start with a dash), e.g. --api-node-args="--trace-gc --inspect=127.0.0.1:9339";
                       stated in the results
  --without-search-index  drop message search's column and GIN index after migrating
                       (phase A with and without them: what the index costs a send)
  --ephemeral-share F  share of the groups created ephemeral, 0..1 (default 0; 0.5: every other
                       group); phase A then reports persistent and ephemeral groups side by side`;

/** A command-line number that must be whole and at least `min`; `what` names it in the error. */
export function wholeNumber(v: string, what: string, min = 1): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${what} must be a whole number of at least ${min}, got "${v}"`);
  return n;
}

export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      apis: { type: 'string', default: '1' },
      workers: { type: 'string', default: '1' },
      phases: { type: 'string' },
      users: { type: 'string' },
      rates: { type: 'string' },
      'step-seconds': { type: 'string' },
      'fanout-users': { type: 'string' },
      'fanout-messages': { type: 'string' },
      'seed-users': { type: 'boolean', default: false },
      holders: { type: 'string' },
      'reconnect-users': { type: 'string' },
      history: { type: 'string' },
      'history-warmup': { type: 'string' },
      mixed: { type: 'string' },
      cold: { type: 'string' },
      'rest-share': { type: 'string' },
      profile: { type: 'string' },
      'api-node-args': { type: 'string' },
      'without-search-index': { type: 'boolean', default: false },
      'ephemeral-share': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const base = values.quick ? QUICK : FULL;
  const driver = structuredClone(base);
  if (values.phases) driver.phases = values.phases.split(',').flatMap((p) => PHASE_NAMES.filter((name) => name.toUpperCase() === p.trim().toUpperCase()));
  if (values.users) {
    driver.users = wholeNumber(values.users, '--users');
    if (!values['fanout-users']) driver.phaseB.userCounts = driver.phaseB.userCounts.map((c, i) => (i === 0 ? driver.users : Math.max(c, driver.users)));
  }
  if (values.rates) {
    const [start, max] = values.rates.split(':');
    driver.phaseA.startRate = wholeNumber(start, '--rates start');
    driver.phaseA.maxRate = wholeNumber(max ?? start, '--rates max');
  }
  if (values['step-seconds']) driver.phaseA.stepSeconds = wholeNumber(values['step-seconds'], '--step-seconds');
  if (values['fanout-users']) driver.phaseB.userCounts = values['fanout-users'].split(',').map((c) => wholeNumber(c, '--fanout-users'));
  if (values['fanout-messages']) {
    const [n, ms] = values['fanout-messages'].split(':');
    driver.phaseB.messages = wholeNumber(n, '--fanout-messages count');
    if (ms !== undefined) driver.phaseB.intervalMs = wholeNumber(ms, '--fanout-messages interval');
  }
  driver.phaseR.users = values['reconnect-users'] ? wholeNumber(values['reconnect-users'], '--reconnect-users') : Math.max(...driver.phaseB.userCounts);
  driver.seedUsers = values['seed-users'] ?? false;
  const beyondSetup = Math.max(...driver.phaseB.userCounts, driver.phases.includes('R') ? driver.phaseR.users : 0) - driver.users;
  driver.holders = values.holders !== undefined ? wholeNumber(values.holders, '--holders', 0) : beyondSetup > 2000 || driver.phases.includes('R') ? Math.max(1, Math.ceil(beyondSetup / 2500)) : 0;
  if (values.history) driver.phaseD.messages = wholeNumber(values.history, '--history');
  if (values['history-warmup']) driver.phaseD.warmupFetches = wholeNumber(values['history-warmup'], '--history-warmup', 0);
  if (values.mixed) {
    const [rate, seconds, warmup] = values.mixed.split(':');
    driver.phaseE = {
      rate: wholeNumber(rate, '--mixed rate'),
      seconds: wholeNumber(seconds ?? String(driver.phaseE.seconds), '--mixed seconds'),
      warmupSeconds: wholeNumber(warmup ?? String(driver.phaseE.warmupSeconds), '--mixed warm-up seconds', 0),
    };
  }
  if (values.cold) {
    const [rate, seconds] = values.cold.split(':');
    driver.phaseACold = { rate: wholeNumber(rate, '--cold rate'), seconds: wholeNumber(seconds ?? String(driver.phaseACold.seconds), '--cold seconds') };
  }
  if (values['rest-share'] !== undefined) {
    const share = Number(values['rest-share']);
    if (!(share >= 0 && share <= 1)) throw new Error(`--rest-share must be a number from 0 to 1, got "${values['rest-share']}"`);
    driver.restShare = share;
  }
  if (values['ephemeral-share'] !== undefined) {
    const share = Number(values['ephemeral-share']);
    if (!(share >= 0 && share <= 1)) throw new Error(`--ephemeral-share must be a number from 0 to 1, got "${values['ephemeral-share']}"`);
    driver.ephemeralShare = share;
  }
  return {
    quick: values.quick ?? false,
    apis: wholeNumber(values.apis ?? '1', '--apis'),
    workers: wholeNumber(values.workers ?? '1', '--workers'),
    profileDir: values.profile,
    apiNodeArgs: (values['api-node-args'] ?? '').split(' ').filter((a) => a !== ''),
    bcryptCost: 4,
    withoutSearchIndex: values['without-search-index'] ?? false,
    driver,
  };
}
