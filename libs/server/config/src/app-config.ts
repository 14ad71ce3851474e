import { z } from 'zod';

const DEV_JWT_SECRET = 'chatbox-development-secret-do-not-use-in-production';

const zBool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

/** Every environment variable ChatBox reads, validated once at start-up. */
const ZEnv = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    API_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
    API_HOST: z.string().default('0.0.0.0'),
    WEB_ORIGIN: z.string().url().default('http://localhost:3000'),
    DATABASE_URL: z.string().url({ message: 'must be a postgresql:// URL' }),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    REDIS_URL: z.string().url({ message: 'must be a redis:// URL' }),
    /** Namespace of every Redis key and channel, so several deployments can share one Redis. */
    REDIS_PREFIX: z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/).default('chatbox'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    SESSION_TTL_SECONDS: z.coerce.number().int().min(60).default(7 * 24 * 3600),
    BCRYPT_COST: z.coerce.number().int().min(4).max(15).optional(),
    COOKIE_SECURE: zBool.optional(),
    FANOUT_CHUNK_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
    OUTBOX_SWEEP_MS: z.coerce.number().int().min(50).default(1000),
    /** Test hook: the api exits right after committing a message, before enqueueing it. */
    CHATBOX_CRASH_AFTER_COMMIT: zBool.default(false),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required in production' });
    }
    if (env.NODE_ENV === 'production' && env.CHATBOX_CRASH_AFTER_COMMIT) {
      ctx.addIssue({ code: 'custom', path: ['CHATBOX_CRASH_AFTER_COMMIT'], message: 'is a test hook' });
    }
  });

export type AppConfig = {
  env: 'development' | 'test' | 'production';
  api: { port: number; host: string };
  webOrigin: string;
  databaseUrl: string;
  databasePoolSize: number;
  redisUrl: string;
  redisPrefix: string;
  auth: { jwtSecret: string; sessionTtlSeconds: number; bcryptCost: number; cookieSecure: boolean };
  fanout: { chunkSize: number; outboxSweepMs: number };
  testHooks: { crashAfterCommit: boolean };
};

export class ConfigError extends Error {}

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = ZEnv.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  return {
    env: env.NODE_ENV,
    api: { port: env.API_PORT, host: env.API_HOST },
    webOrigin: env.WEB_ORIGIN,
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
    auth: {
      jwtSecret: env.JWT_SECRET ?? DEV_JWT_SECRET,
      sessionTtlSeconds: env.SESSION_TTL_SECONDS,
      bcryptCost: env.BCRYPT_COST ?? (env.NODE_ENV === 'test' ? 4 : 12),
      cookieSecure: env.COOKIE_SECURE ?? env.NODE_ENV === 'production',
    },
    fanout: { chunkSize: env.FANOUT_CHUNK_SIZE, outboxSweepMs: env.OUTBOX_SWEEP_MS },
    testHooks: { crashAfterCommit: env.CHATBOX_CRASH_AFTER_COMMIT },
  };
}
