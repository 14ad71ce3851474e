import { z } from 'zod';
import { parseDatabaseUrl } from './database-url';

const DEV_JWT_SECRET = 'chatbox-development-secret-do-not-use-in-production';

/** "<count>/<seconds>", e.g. "10/60": at most 10 requests per 60-second window. */
const zRate = z
  .string()
  .regex(/^\d{1,9}\/\d{1,7}$/, 'must look like "<count>/<seconds>", e.g. "10/60"')
  .transform((v) => {
    const [limit, windowSeconds] = v.split('/').map(Number) as [number, number];
    return { limit, windowSeconds: Math.max(1, windowSeconds) };
  });

/** Every rate limit the api enforces (see libs/server/ratelimit); env var RATE_LIMIT_<NAME>. */
export const RATE_LIMIT_NAMES = [
  'login_ip',
  'login_user',
  'login_user_ip',
  'register_ip',
  'register_user',
  'password_user',
  'send_user',
  'read_user',
  'search_user',
  'socket_events',
  'group_create_user',
  'member_add_user',
  'export_user',
  'upload_user',
] as const;
export type RateLimitName = (typeof RATE_LIMIT_NAMES)[number];
export type RateLimitRule = { limit: number; windowSeconds: number };

/** Production defaults. Under NODE_ENV=test every limit not set explicitly is 1000x larger, so
 * parallel test files sharing 127.0.0.1 never trip each other; tests that check limits set them. */
const RATE_LIMIT_DEFAULTS: Record<RateLimitName, RateLimitRule> = {
  login_ip: { limit: 30, windowSeconds: 60 },
  // failed logins only: per username from one address, and a higher ceiling per username from
  // anywhere (addresses the user logged in from before are exempt from the ceiling)
  login_user: { limit: 100, windowSeconds: 900 },
  login_user_ip: { limit: 10, windowSeconds: 300 },
  // a class of 100 behind one school router registers at once; a script's mass sign-up stops at 200
  register_ip: { limit: 200, windowSeconds: 3600 },
  register_user: { limit: 5, windowSeconds: 3600 },
  password_user: { limit: 5, windowSeconds: 300 },
  send_user: { limit: 60, windowSeconds: 10 },
  read_user: { limit: 100, windowSeconds: 10 },
  search_user: { limit: 120, windowSeconds: 60 },
  socket_events: { limit: 100, windowSeconds: 10 },
  // Nobody is asked before being added to a group: these bound how often one person can do it
  // to others (member_add_user counts each person added, at creation too).
  group_create_user: { limit: 10, windowSeconds: 600 },
  member_add_user: { limit: 200, windowSeconds: 600 },
  // a whole account's data per request: a few downloads an hour are plenty
  export_user: { limit: 10, windowSeconds: 3600 },
  // a drop of 10 screenshots at once, a few times a minute; each upload may be 25 MB of disk
  upload_user: { limit: 30, windowSeconds: 60 },
};

/** Socket caps (over every api process); scaled in tests like the rate limits. */
const SOCKET_CAP_DEFAULTS = { perUser: 20, perAddress: 100 };
const TEST_LIMIT_FACTOR = 1000;

/**
 * Above the idle time of the proxies and browsers in front of the api: Caddy keeps an idle
 * upstream connection 2 minutes and reuses it, and a connection the api closed first fails the
 * request sent on it (Node's own default is 5 s). A new connection is the dear one: a busy api
 * process accepts one per turn of its event loop (libuv since 1.45), so a client that had to
 * reconnect waited seconds for its request to be read while kept-alive ones waited milliseconds
 * (bench/README "Phase E, tenth session").
 */
export const HTTP_KEEP_ALIVE_DEFAULT_SECONDS = 125;

/** Log levels from the most to the least severe: LOG_LEVEL=x writes x and everything above it. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const zBool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

/** Every environment variable ChatBox reads, validated once at start-up. */
const ZEnv = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    API_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
    API_HOST: z.string().default('0.0.0.0'),
    /** The files process's port (apps/files: the transfer routes only), on API_HOST. */
    FILES_PORT: z.coerce.number().int().min(0).max(65535).default(3002),
    /** How long the api keeps an idle HTTP connection open for the client's next request. */
    HTTP_KEEP_ALIVE_SECONDS: z.coerce.number().int().min(1).max(3600).default(HTTP_KEEP_ALIVE_DEFAULT_SECONDS),
    WEB_ORIGIN: z.string().url().default('http://localhost:3000'),
    /** One host, or several tried in order (libpq's multi-host form, with target_session_attrs): database-url.ts. */
    DATABASE_URL: z.string().superRefine((url, ctx) => {
      try {
        parseDatabaseUrl(url);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
      }
    }),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    /** libpq's variable: session settings added to ChatBox's own on every connection of the pool (a diagnosis: auto_explain, jit=off). */
    PGOPTIONS: z.string().default(''),
    REDIS_URL: z.string().url({ message: 'must be a redis:// URL' }),
    /** Namespace of every Redis key and channel, so several deployments can share one Redis. */
    REDIS_PREFIX: z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/).default('chatbox'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Absolute lifetime of a login (and of its JWT). */
    SESSION_TTL_SECONDS: z.coerce.number().int().min(60).default(7 * 24 * 3600),
    /** A login unused for this long expires (sliding: use pushes the expiry, up to the TTL). */
    SESSION_IDLE_SECONDS: z.coerce.number().int().min(60).default(2 * 24 * 3600),
    /**
     * How long an api process trusts a session check it made (0: ask PostgreSQL on every
     * request). Logout, password changes, sign-outs, role changes and deactivations reach every
     * process at once; only a change made behind the api's back (SQL) waits for this. 30 s: a
     * person sends every few seconds at most, and with 2 s nearly every REST request of theirs
     * asked PostgreSQL again (75 % of the bench's REST sends, one round trip before the send).
     */
    SESSION_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(30_000),
    BCRYPT_COST: z.coerce.number().int().min(4).max(15).optional(),
    COOKIE_SECURE: zBool.optional(),
    FANOUT_CHUNK_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
    OUTBOX_SWEEP_MS: z.coerce.number().int().min(50).default(1000),
    /**
     * The api delivers what it committed itself (under the conversation's delivery lock, from its
     * cursor); false hands every delivery to the worker through the queue, as before.
     */
    FANOUT_IN_API: zBool.default(true),
    /**
     * Under a burst (sends fast enough to fill 64 in this window) an api stores sends at most
     * once per this many milliseconds (and a conversation's messages stored together reach its
     * members as one event); below that rate each is stored as soon as a statement slot is free.
     * Changes to messages wait out the whole window whenever a statement started within it.
     */
    SEND_BATCH_WINDOW_MS: z.coerce.number().int().min(0).max(1000).default(40),
    /**
     * A send is answered within this many milliseconds: acknowledged, or 503 `unavailable`
     * (retry with the same clientMsgId: a send that is stored after all is then answered with
     * the stored message). Below the clients' acknowledgement timeout (10 s), so that a database
     * connection that carries nothing for a while (a flaky network) is an answer, not a timeout.
     */
    SEND_ANSWER_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
    /**
     * Which peers may set X-Forwarded-For (Express "trust proxy" syntax). Default: loopback only,
     * i.e. the Next.js app forwarding /api on the same host; in docker-compose add the network.
     */
    TRUST_PROXY: z.string().regex(/^[a-z0-9.:/, ]{1,200}$/i).default('loopback'),
    /**
     * Least severe level written. Default `log` in production (one line per request is
     * `verbose`: a write per request costs the api CPU that answers need), `verbose` otherwise.
     */
    LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
    ...Object.fromEntries(RATE_LIMIT_NAMES.map((n) => [`RATE_LIMIT_${n.toUpperCase()}`, zRate.optional()])),
    /** Open sockets per user and per client address, over every api process (default 20 / 100). */
    SOCKETS_PER_USER: z.coerce.number().int().min(1).max(1_000_000_000).optional(),
    SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000_000).optional(),
    /** A connection that has not completed an authenticated Socket.IO handshake by then is closed. */
    SOCKET_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    /**
     * How long the users of an api process that stopped or died stay shown online while their
     * clients reconnect to another (or the restarted) one: only those not back by then are
     * announced offline, so a restart of 10,000 sockets announces nothing (default 30 s, 2 s
     * in tests, which kill processes and wait for the offline word).
     */
    PRESENCE_RESTART_GRACE_MS: z.coerce.number().int().min(0).max(600_000).optional(),
    /**
     * The operations port (liveness, readiness, Prometheus metrics), never routed by the edge
     * proxy. Default 9464 for the api, 9465 for the worker and 9466 for the files process (a free one under NODE_ENV=test);
     * OPS_HOST defaults to loopback: set 0.0.0.0 where Prometheus scrapes from another host.
     */
    OPS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    OPS_HOST: z.string().default('127.0.0.1'),
    /**
     * On SIGTERM, how long requests and socket acks in flight (api) or jobs running (worker) may
     * take before connections close anyway; keep it below the orchestrator's kill timeout.
     */
    SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(600_000).default(8_000),
    /** Attachments on the local disk (the default store); relative paths are from the working directory. */
    STORAGE_DIR: z.string().min(1).default('data/uploads'),
    /** Largest upload accepted, in bytes (default 25 MB); larger ones are answered 413. */
    UPLOAD_MAX_BYTES: z.coerce.number().int().min(1).max(10 * 1024 ** 3).default(25 * 1024 * 1024),
    /**
     * Uploads and downloads of files over 1 MB that one api process moves at once (default 2);
     * more wait their turn, first come first served, so messages always find the process free.
     */
    TRANSFER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(2),
    /** Transfers that may wait for their turn (default 200); past that they are answered 503. */
    TRANSFER_QUEUE_MAX: z.coerce.number().int().min(0).max(100_000).default(200),
    /**
     * Bytes per second one api process moves for uploads and downloads over 1 MB, all of them
     * together (default 16 MB/s: on 2 cores messages keep their latency, a 25 MB file alone takes
     * 1.6 s); 0: as fast as the CPU lets them, leaving messages little. Raise it on a bigger machine.
     */
    TRANSFER_BYTES_PER_SECOND: z.coerce.number().int().min(0).max(100 * 1024 ** 3).default(16 * 1024 * 1024),
    /** An upload never sent in a message is removed after this many seconds (default 24 h). */
    UPLOAD_ORPHAN_MAX_AGE_SECONDS: z.coerce.number().int().min(1).default(24 * 3600),
    /** Set S3_BUCKET to keep attachments in an S3-compatible store instead of STORAGE_DIR. */
    S3_BUCKET: z.string().min(3).max(63).optional(),
    /** The S3-compatible service's URL (MinIO, ...); unset: AWS S3 itself. */
    S3_ENDPOINT: z.string().url().optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    /** Bucket in the path rather than the host name (MinIO and most self-hosted services need it). */
    S3_FORCE_PATH_STYLE: zBool.optional(),
    /**
     * Hard cap on the life of an ephemeral group's message in Redis (default 24 h): older ones
     * vanish even while the room lives.
     */
    EPHEMERAL_TTL_SECONDS: z.coerce.number().int().min(1).max(30 * 24 * 3600).default(24 * 3600),
    /** Test hook: the api exits right after committing a message, before enqueueing it. */
    CHATBOX_CRASH_AFTER_COMMIT: zBool.default(false),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required in production' });
    }
    if (env.S3_BUCKET && (env.S3_ACCESS_KEY_ID === undefined) !== (env.S3_SECRET_ACCESS_KEY === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['S3_SECRET_ACCESS_KEY'], message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together' });
    }
    if (env.NODE_ENV === 'production' && env.CHATBOX_CRASH_AFTER_COMMIT) {
      ctx.addIssue({ code: 'custom', path: ['CHATBOX_CRASH_AFTER_COMMIT'], message: 'is a test hook' });
    }
  });

/** The name of every environment variable ChatBox reads (deployment files are checked against it). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(ZEnv.shape);

export type AppConfig = {
  env: 'development' | 'test' | 'production';
  api: { port: number; host: string; keepAliveSeconds: number };
  files: { port: number };
  webOrigin: string;
  databaseUrl: string;
  databasePoolSize: number;
  /** PGOPTIONS: PostgreSQL session settings ("-c name=value ..."), '' for none. */
  databaseSessionOptions: string;
  redisUrl: string;
  redisPrefix: string;
  auth: { jwtSecret: string; sessionTtlSeconds: number; sessionIdleSeconds: number; sessionCacheMs: number; bcryptCost: number; cookieSecure: boolean };
  fanout: { chunkSize: number; outboxSweepMs: number; sendBatchWindowMs: number; inApi: boolean };
  /** SEND_ANSWER_MS: how long a send, or an edit, delete or reaction, may take before it is answered `unavailable`. */
  sendAnswerMs: number;
  trustProxy: string;
  /** The levels written (LOG_LEVEL and every more severe one), as Nest's `logger` option takes them. */
  logLevels: LogLevel[];
  rateLimits: Record<RateLimitName, RateLimitRule>;
  sockets: { perUser: number; perAddress: number; connectTimeoutMs: number };
  presence: { restartGraceMs: number };
  /** port undefined: the app's own default (OPS_DEFAULT_PORTS). */
  ops: { port?: number; host: string };
  shutdownDrainMs: number;
  storage: {
    dir: string;
    uploadMaxBytes: number;
    orphanMaxAgeSeconds: number;
    /** Large transfers moved at once per api process, how many may wait (TransferSlots), and their shared byte budget (TransferBudget; 0: none). */
    transfers: { concurrency: number; queueMax: number; bytesPerSecond: number };
    /** undefined: the local disk */
    s3?: { bucket: string; endpoint?: string; region: string; accessKeyId?: string; secretAccessKey?: string; forcePathStyle: boolean };
  };
  /** Ephemeral groups: how long a message lives at most (EPHEMERAL_TTL_SECONDS). */
  ephemeral: { ttlSeconds: number };
  testHooks: { crashAfterCommit: boolean };
};

export class ConfigError extends Error {}

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  // "NAME=" (as .env.example lists optional variables) means unset, not the empty string
  const parsed = ZEnv.safeParse(Object.fromEntries(Object.entries(source).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  return {
    env: env.NODE_ENV,
    api: { port: env.API_PORT, host: env.API_HOST, keepAliveSeconds: env.HTTP_KEEP_ALIVE_SECONDS },
    files: { port: env.FILES_PORT },
    webOrigin: env.WEB_ORIGIN,
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    databaseSessionOptions: env.PGOPTIONS,
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
    auth: {
      jwtSecret: env.JWT_SECRET ?? DEV_JWT_SECRET,
      sessionTtlSeconds: env.SESSION_TTL_SECONDS,
      sessionIdleSeconds: Math.min(env.SESSION_IDLE_SECONDS, env.SESSION_TTL_SECONDS),
      sessionCacheMs: env.SESSION_CACHE_MS,
      bcryptCost: env.BCRYPT_COST ?? (env.NODE_ENV === 'test' ? 4 : 12),
      cookieSecure: env.COOKIE_SECURE ?? env.NODE_ENV === 'production',
    },
    fanout: { chunkSize: env.FANOUT_CHUNK_SIZE, outboxSweepMs: env.OUTBOX_SWEEP_MS, sendBatchWindowMs: env.SEND_BATCH_WINDOW_MS, inApi: env.FANOUT_IN_API },
    sendAnswerMs: env.SEND_ANSWER_MS,
    trustProxy: env.TRUST_PROXY,
    logLevels: LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(env.LOG_LEVEL ?? (env.NODE_ENV === 'production' ? 'log' : 'verbose')) + 1),
    rateLimits: rateLimitsOf(env as unknown as Record<string, RateLimitRule | undefined>, env.NODE_ENV === 'test'),
    sockets: {
      perUser: env.SOCKETS_PER_USER ?? SOCKET_CAP_DEFAULTS.perUser * (env.NODE_ENV === 'test' ? TEST_LIMIT_FACTOR : 1),
      perAddress: env.SOCKETS_PER_ADDRESS ?? SOCKET_CAP_DEFAULTS.perAddress * (env.NODE_ENV === 'test' ? TEST_LIMIT_FACTOR : 1),
      connectTimeoutMs: env.SOCKET_CONNECT_TIMEOUT_MS,
    },
    presence: { restartGraceMs: env.PRESENCE_RESTART_GRACE_MS ?? (env.NODE_ENV === 'test' ? 2_000 : 30_000) },
    ops: { port: env.OPS_PORT ?? (env.NODE_ENV === 'test' ? 0 : undefined), host: env.OPS_HOST },
    shutdownDrainMs: env.SHUTDOWN_DRAIN_MS,
    storage: {
      dir: env.STORAGE_DIR,
      uploadMaxBytes: env.UPLOAD_MAX_BYTES,
      orphanMaxAgeSeconds: env.UPLOAD_ORPHAN_MAX_AGE_SECONDS,
      transfers: { concurrency: env.TRANSFER_CONCURRENCY, queueMax: env.TRANSFER_QUEUE_MAX, bytesPerSecond: env.TRANSFER_BYTES_PER_SECOND },
      s3: env.S3_BUCKET
        ? {
            bucket: env.S3_BUCKET,
            endpoint: env.S3_ENDPOINT,
            region: env.S3_REGION,
            accessKeyId: env.S3_ACCESS_KEY_ID,
            secretAccessKey: env.S3_SECRET_ACCESS_KEY,
            forcePathStyle: env.S3_FORCE_PATH_STYLE ?? env.S3_ENDPOINT !== undefined,
          }
        : undefined,
    },
    ephemeral: { ttlSeconds: env.EPHEMERAL_TTL_SECONDS },
    testHooks: { crashAfterCommit: env.CHATBOX_CRASH_AFTER_COMMIT },
  };
}

function rateLimitsOf(env: Record<string, RateLimitRule | undefined>, test: boolean): Record<RateLimitName, RateLimitRule> {
  const rules = {} as Record<RateLimitName, RateLimitRule>;
  for (const name of RATE_LIMIT_NAMES) {
    const base = RATE_LIMIT_DEFAULTS[name];
    rules[name] = env[`RATE_LIMIT_${name.toUpperCase()}`] ?? (test ? { ...base, limit: base.limit * TEST_LIMIT_FACTOR } : base);
  }
  return rules;
}
