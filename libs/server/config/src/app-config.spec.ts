import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from './app-config';

const base = { DATABASE_URL: 'postgresql://u@127.0.0.1:5432/db', REDIS_URL: 'redis://127.0.0.1:6379' };

test('production without JWT_SECRET refuses to start, naming the variable', () => {
  assert.throws(() => loadConfig({ ...base, NODE_ENV: 'production' }), /JWT_SECRET: is required in production/);
});

test('development gets a default secret and bcrypt cost 12; tests get cost 4', () => {
  assert.equal(loadConfig({ ...base, NODE_ENV: 'development' }).auth.bcryptCost, 12);
  assert.equal(loadConfig({ ...base, NODE_ENV: 'test' }).auth.bcryptCost, 4);
  assert.equal(loadConfig({ ...base, BCRYPT_COST: '10' }).auth.bcryptCost, 10);
});

test('a missing DATABASE_URL is named', () => {
  assert.throws(() => loadConfig({ REDIS_URL: base.REDIS_URL }), /DATABASE_URL/);
});

test('rate limits: "<count>/<seconds>" from the environment, production defaults, 1000x in tests', () => {
  assert.deepEqual(loadConfig({ ...base, RATE_LIMIT_LOGIN_IP: '7/30' }).rateLimits.login_ip, { limit: 7, windowSeconds: 30 });
  assert.deepEqual(loadConfig({ ...base, NODE_ENV: 'development' }).rateLimits.login_user_ip, { limit: 10, windowSeconds: 300 });
  assert.equal(loadConfig({ ...base, NODE_ENV: 'test' }).rateLimits.login_user_ip.limit, 10_000);
  assert.throws(() => loadConfig({ ...base, RATE_LIMIT_SEND_USER: 'lots' }), /RATE_LIMIT_SEND_USER/);
});

test('socket caps: 20 per user and 100 per address by default, 1000x in tests unless set, validated', () => {
  assert.deepEqual(loadConfig({ ...base, NODE_ENV: 'development' }).sockets, { perUser: 20, perAddress: 100, connectTimeoutMs: 10_000 });
  assert.deepEqual(loadConfig({ ...base, NODE_ENV: 'test' }).sockets, { perUser: 20_000, perAddress: 100_000, connectTimeoutMs: 10_000 });
  const set = loadConfig({ ...base, NODE_ENV: 'test', SOCKETS_PER_USER: '3', SOCKETS_PER_ADDRESS: '5', SOCKET_CONNECT_TIMEOUT_MS: '1000' });
  assert.deepEqual(set.sockets, { perUser: 3, perAddress: 5, connectTimeoutMs: 1000 });
  assert.throws(() => loadConfig({ ...base, SOCKETS_PER_USER: '0' }), /SOCKETS_PER_USER/);
  assert.throws(() => loadConfig({ ...base, SOCKET_CONNECT_TIMEOUT_MS: 'soon' }), /SOCKET_CONNECT_TIMEOUT_MS/);
});

test('log levels: production writes up to `log` (not the per-request `verbose` lines), others everything; LOG_LEVEL picks', () => {
  const secret = { JWT_SECRET: 'x'.repeat(32) };
  assert.deepEqual(loadConfig({ ...base, ...secret, NODE_ENV: 'production' }).logLevels, ['fatal', 'error', 'warn', 'log']);
  assert.deepEqual(loadConfig({ ...base, NODE_ENV: 'development' }).logLevels, ['fatal', 'error', 'warn', 'log', 'debug', 'verbose']);
  assert.deepEqual(loadConfig({ ...base, ...secret, NODE_ENV: 'production', LOG_LEVEL: 'verbose' }).logLevels.at(-1), 'verbose');
  assert.deepEqual(loadConfig({ ...base, LOG_LEVEL: 'warn' }).logLevels, ['fatal', 'error', 'warn']);
  assert.throws(() => loadConfig({ ...base, LOG_LEVEL: 'chatty' }), /LOG_LEVEL/);
});

test('a variable set to the empty string counts as unset (as .env.example lists the optional ones)', () => {
  const config = loadConfig({ ...base, S3_BUCKET: '', OPS_PORT: '', STORAGE_DIR: '' });
  assert.equal(config.storage.s3, undefined);
  assert.equal(config.storage.dir, 'data/uploads');
  assert.equal(config.storage.uploadMaxBytes, 25 * 1024 * 1024);
});

test('S3 storage is chosen by S3_BUCKET, path-style when an endpoint is named', () => {
  const config = loadConfig({ ...base, S3_BUCKET: 'chatbox', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' });
  assert.deepEqual(config.storage.s3, { bucket: 'chatbox', endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', accessKeyId: 'k', secretAccessKey: 's', forcePathStyle: true });
  assert.throws(() => loadConfig({ ...base, S3_BUCKET: 'chatbox', S3_ACCESS_KEY_ID: 'k' }), /S3_SECRET_ACCESS_KEY/);
});
