import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { API_PREFIX } from '@chatbox/server-http';
import { SOCKET_IO_PATH } from '@chatbox/server-realtime';
import { CONFIG_VARIABLES, loadConfig } from '@chatbox/server-config';
import { OPS_DEFAULT_PORTS, OPS_PATHS } from '@chatbox/server-observability';
import { REPO_ROOT } from '@chatbox/tools';
import { API_ROUTES, isTransferPath } from '@chatbox/contracts';

type Service = {
  image?: string;
  command?: string[];
  entrypoint?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] };
  restart?: string;
  deploy?: { replicas?: number };
  cpu_shares?: number;
  ports?: string[];
  stop_grace_period?: string;
};
const compose = parse(readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const { services } = compose;
const SERVER = ['migrate', 'api', 'worker', 'files'];
const LONG_RUNNING = ['caddy', 'postgres', 'redis', 'minio', 'api', 'worker', 'files', 'web'];
const ONE_SHOT = ['migrate', 'minio-init'];

/** Compose interpolation as `docker compose` does it, with `values` as the .env file. */
const interpolate = (value: string, values: Record<string, string>): string =>
  value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_m, name: string, op?: string, arg = '') => {
    if (values[name] !== undefined) return values[name]!;
    if (op === '?') throw new Error(`${name} is required: ${arg}`);
    return op === '-' ? arg : '';
  });
const dotEnv = { POSTGRES_PASSWORD: 'pw', JWT_SECRET: 'j'.repeat(32), MINIO_ROOT_PASSWORD: 'minio-secret' };
const serverEnv = (name: string, values: Record<string, string> = dotEnv): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(services[name]!.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), values)]));

test('docker-compose.yml has every service, and the long-running ones restart and have healthchecks', () => {
  assert.deepEqual(Object.keys(services).sort(), ['api', 'caddy', 'files', 'migrate', 'minio', 'minio-init', 'postgres', 'redis', 'web', 'worker']);
  for (const name of LONG_RUNNING) assert.equal(services[name]!.restart, 'unless-stopped', name);
  for (const name of ONE_SHOT) assert.equal(services[name]!.restart, 'no', name);
  for (const name of LONG_RUNNING) assert.ok(services[name]!.healthcheck?.test.length, `${name} healthcheck`);
});

test('api, worker and files are healthy when ready: their readiness probe on the operations port the code opens', () => {
  for (const name of ['api', 'worker', 'files'] as const) {
    const probe = services[name]!.healthcheck!.test.join(' ');
    assert.ok(probe.includes(`http://127.0.0.1:${OPS_DEFAULT_PORTS[name]}${OPS_PATHS.ready}`), `${name}: ${probe}`);
    // Docker's kill comes after the drain of a graceful shutdown
    const grace = Number(/^(\d+)s$/.exec(services[name]!.stop_grace_period ?? '')?.[1] ?? 10) * 1000;
    assert.ok(grace > loadConfig(serverEnv(name)).shutdownDrainMs, `${name} stop_grace_period`);
  }
});

test('only Caddy is published (80, 443); the operations ports are not', () => {
  for (const [name, service] of Object.entries(services)) if (name !== 'caddy') assert.equal(service.ports, undefined, `${name} publishes no port`);
  assert.deepEqual(services.caddy!.ports, ['80:80', '443:443', '443:443/udp']);
});

test('the Caddyfile routes /api and /socket.io to the api replicas, the rest to web, with automatic HTTPS for DOMAIN', () => {
  const caddyfile = readFileSync(path.join(REPO_ROOT, 'deploy/Caddyfile'), 'utf8');
  assert.ok(caddyfile.includes('{$DOMAIN:localhost} {'), 'the site is DOMAIN (internal CA for localhost)');
  assert.match(caddyfile, /@api path \/api \/api\/\* \/socket\.io \/socket\.io\/\*/);
  assert.match(caddyfile, /handle @api \{\s*reverse_proxy \{\s*(#[^\n]*\n\s*)*dynamic a api 3001/);
  assert.match(caddyfile, /handle \{\s*reverse_proxy web:3000/);
  assert.doesNotMatch(caddyfile, /946\d/, 'never the operations ports');
  // what the Caddyfile sends to the api is where the api answers: its global prefix and the gateway's path
  assert.equal(API_PREFIX, 'api');
  assert.equal(SOCKET_IO_PATH, '/socket.io');
  assert.deepEqual(services.caddy!.depends_on, { web: { condition: 'service_healthy' } });
  assert.ok((services.caddy!.environment ?? {}).DOMAIN?.includes('${DOMAIN'));
});

test('the Caddyfile sends the transfer routes, and only those, to the files replicas, at a lower CPU weight than the api', () => {
  const caddyfile = readFileSync(path.join(REPO_ROOT, 'deploy/Caddyfile'), 'utf8');
  const patterns = /@files path ([^\n]+)/.exec(caddyfile)?.[1]?.split(' ') ?? [];
  assert.ok(patterns.length > 0, '@files matcher');
  assert.match(caddyfile, /handle @files \{\s*reverse_proxy \{\s*dynamic a files 3002/);
  assert.ok(caddyfile.indexOf('handle @files') < caddyfile.indexOf('handle @api'), 'before the api catches all of /api');
  // Caddy's path patterns: exact, or a prefix ending in *
  const caddyMatches = (p: string) => patterns.some((pattern) => (pattern.endsWith('*') ? p.startsWith(pattern.slice(0, -1)) : p === pattern));
  for (const route of API_ROUTES) {
    const sample = `/api${route.path.replace(/:\w+/g, 'x1')}`;
    assert.equal(caddyMatches(sample), isTransferPath(sample), `${route.method} ${sample}`);
  }
  assert.equal(services.web!.environment?.FILES_ORIGIN, 'http://files:3002');
  assert.ok((services.files!.cpu_shares ?? 1024) < (services.api!.cpu_shares ?? 1024), 'files yields the CPU to the api');
});

test('.env.example lists every variable of the config module, and nothing unknown', () => {
  const keys = readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8')
    .split('\n')
    .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
    .filter((k): k is string => k !== undefined);
  assert.equal(new Set(keys).size, keys.length, 'each variable once');
  for (const name of CONFIG_VARIABLES) assert.ok(keys.includes(name), `.env.example lacks ${name}`);
  const composeVariables = [...readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8').matchAll(/\$\{(\w+)/g)].map((m) => m[1]);
  const webServer = ['API_ORIGIN', 'FILES_ORIGIN', 'WEB_PORT', 'WEB_HOST'];
  for (const key of keys) assert.ok(CONFIG_VARIABLES.includes(key) || composeVariables.includes(key) || webServer.includes(key), `${key} is read by nothing`);
});

test('start order follows health: web waits for a healthy api, the servers for migrate and redis', () => {
  assert.deepEqual(services.web!.depends_on, { api: { condition: 'service_healthy' }, files: { condition: 'service_healthy' } });
  for (const name of ['api', 'worker', 'files']) {
    assert.deepEqual(services[name]!.depends_on, {
      migrate: { condition: 'service_completed_successfully' },
      'minio-init': { condition: 'service_completed_successfully' },
      redis: { condition: 'service_healthy' },
    });
  }
  assert.deepEqual(services.migrate!.depends_on, { postgres: { condition: 'service_healthy' } });
  assert.deepEqual(services['minio-init']!.depends_on, { minio: { condition: 'service_healthy' } });
});

test('the server services read only variables libs/server/config knows, secrets required from .env', () => {
  for (const name of SERVER) {
    for (const key of Object.keys(services[name]!.environment ?? {})) assert.ok(CONFIG_VARIABLES.includes(key), `${name}: ${key}`);
    assert.throws(() => serverEnv(name, { POSTGRES_PASSWORD: 'pw' }), /JWT_SECRET is required/);
    assert.throws(() => serverEnv(name, { JWT_SECRET: dotEnv.JWT_SECRET }), /POSTGRES_PASSWORD is required/);
    assert.throws(() => serverEnv(name, { POSTGRES_PASSWORD: 'pw', JWT_SECRET: dotEnv.JWT_SECRET }), /MINIO_ROOT_PASSWORD is required/);
  }
  assert.deepEqual(serverEnv('api'), serverEnv('worker'));
  assert.deepEqual(serverEnv('api'), serverEnv('migrate'));
  assert.deepEqual(serverEnv('api'), serverEnv('files'));
  assert.ok((services.api!.deploy?.replicas ?? 1) >= 2, 'api replicas');
});

test('the api config the replicas get: production, real client IPs through the proxies, a Secure cookie behind Caddy', () => {
  const config = loadConfig(serverEnv('api'));
  assert.equal(config.env, 'production');
  // Caddy and the web container reach the api over the compose network (private addresses); never `true`
  assert.equal(config.trustProxy, 'loopback, uniquelocal');
  assert.equal(config.auth.cookieSecure, true);
  assert.equal(config.webOrigin, 'https://localhost');
  assert.equal(loadConfig(serverEnv('api', { ...dotEnv, DOMAIN: 'chat.example.org' })).webOrigin, 'https://chat.example.org');
  assert.equal(config.ops.host, '0.0.0.0', 'Prometheus scrapes over the compose network');
  assert.equal(services.web!.environment?.API_ORIGIN, 'http://api:3001');
});

test('the images build on a supported Node LTS (22 or later; 20 is past its end of life)', () => {
  const bases = [...readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8').matchAll(/^FROM node:(\d+)/gm)].map((m) => Number(m[1]));
  assert.ok(bases.length > 0 && bases.every((major) => major >= 22 && major % 2 === 0), `node:${bases.join(', node:')}`);
});

const dockerCompose = (...args: string[]) =>
  spawnSync('docker', ['compose', ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, ...dotEnv } });
const composeMissing = dockerCompose('version').status === 0 ? false : 'Docker Compose is not installed on this machine';

test('docker compose itself accepts the file, with the .env a deployment writes', { skip: composeMissing }, () => {
  const checked = dockerCompose('-f', 'docker-compose.yml', 'config', '--quiet');
  assert.equal(checked.status, 0, checked.stderr);
});

test('attachments go to MinIO: a pinned image with a volume, the bucket made before the servers start, the same credentials', () => {
  const minio = services.minio!;
  assert.match(minio.image ?? '', /^minio\/minio:RELEASE\.\d{4}-\d\d-\d\dT/, 'a pinned MinIO release, never latest');
  assert.match(services['minio-init']!.image ?? '', /^minio\/mc:RELEASE\.\d{4}-\d\d-\d\dT/, 'a pinned mc release');
  assert.deepEqual(minio.command, ['server', '/data']);
  assert.ok(minio.volumes?.includes('miniodata:/data') && 'miniodata' in compose.volumes, 'objects survive a re-created container');
  const { MINIO_ROOT_PASSWORD: _required, ...withoutMinioPassword } = dotEnv;
  for (const name of ['minio', 'minio-init']) assert.throws(() => serverEnv(name, withoutMinioPassword), /MINIO_ROOT_PASSWORD is required/, name);

  for (const values of [dotEnv, { ...dotEnv, MINIO_ROOT_USER: 'ops', S3_BUCKET: 'files' }]) {
    const root = serverEnv('minio', values);
    const init = serverEnv('minio-init', values);
    const { s3 } = loadConfig(serverEnv('api', values)).storage;
    assert.deepEqual(s3, {
      bucket: values === dotEnv ? 'chatbox' : 'files',
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      accessKeyId: root.MINIO_ROOT_USER,
      secretAccessKey: root.MINIO_ROOT_PASSWORD,
      forcePathStyle: true,
    });
    // minio-init creates the very bucket the servers use, as the root user MinIO was started with
    assert.equal(init.S3_BUCKET, s3!.bucket);
    assert.deepEqual([init.MINIO_ROOT_USER, init.MINIO_ROOT_PASSWORD], [root.MINIO_ROOT_USER, root.MINIO_ROOT_PASSWORD]);
  }
  const script = services['minio-init']!.entrypoint!.join(' ');
  assert.match(script, /mc alias set minio http:\/\/minio:9000 "\$\$MINIO_ROOT_USER" "\$\$MINIO_ROOT_PASSWORD" && /);
  assert.match(script, /mc mb --ignore-existing "minio\/\$\$S3_BUCKET"/, 'idempotent: a second `up` succeeds');
});
