import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '@chatbox/server-config';
import { REPO_ROOT } from '@chatbox/tools';

type Service = {
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] };
  restart?: string;
  deploy?: { replicas?: number };
};
const compose = parse(readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const { services } = compose;
const SERVER = ['migrate', 'api', 'worker'];
const LONG_RUNNING = ['postgres', 'redis', 'api', 'worker', 'web'];

/** Compose interpolation as `docker compose` does it, with `values` as the .env file. */
const interpolate = (value: string, values: Record<string, string>): string =>
  value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_m, name: string, op?: string, arg = '') => {
    if (values[name] !== undefined) return values[name]!;
    if (op === '?') throw new Error(`${name} is required: ${arg}`);
    return op === '-' ? arg : '';
  });
const dotEnv = { POSTGRES_PASSWORD: 'pw', JWT_SECRET: 'j'.repeat(32) };
const serverEnv = (name: string, values: Record<string, string> = dotEnv): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(services[name]!.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), values)]));

test('docker-compose.yml has every service, and the long-running ones restart and have healthchecks', () => {
  assert.deepEqual(Object.keys(services).sort(), ['api', 'migrate', 'postgres', 'redis', 'web', 'worker']);
  for (const name of LONG_RUNNING) assert.equal(services[name]!.restart, 'unless-stopped', name);
  assert.equal(services.migrate!.restart, 'no');
  for (const name of ['postgres', 'redis', 'api', 'web']) assert.ok(services[name]!.healthcheck?.test.length, `${name} healthcheck`);
  assert.ok(services.api!.healthcheck!.test.join(' ').includes('/api/health'));
});

test('start order follows health: web waits for a healthy api, the servers for migrate and redis', () => {
  assert.deepEqual(services.web!.depends_on, { api: { condition: 'service_healthy' } });
  for (const name of ['api', 'worker']) {
    assert.deepEqual(services[name]!.depends_on, {
      migrate: { condition: 'service_completed_successfully' },
      redis: { condition: 'service_healthy' },
    });
  }
  assert.deepEqual(services.migrate!.depends_on, { postgres: { condition: 'service_healthy' } });
});

test('the server services read only variables libs/server/config knows, secrets required from .env', () => {
  for (const name of SERVER) {
    for (const key of Object.keys(services[name]!.environment ?? {})) assert.ok(CONFIG_VARIABLES.includes(key), `${name}: ${key}`);
    assert.throws(() => serverEnv(name, { POSTGRES_PASSWORD: 'pw' }), /JWT_SECRET is required/);
    assert.throws(() => serverEnv(name, { JWT_SECRET: dotEnv.JWT_SECRET }), /POSTGRES_PASSWORD is required/);
  }
  assert.deepEqual(serverEnv('api'), serverEnv('worker'));
  assert.deepEqual(serverEnv('api'), serverEnv('migrate'));
  assert.ok((services.api!.deploy?.replicas ?? 1) >= 2, 'api replicas');
});

test('the api config the replicas get: production, real client IPs through the web container, a cookie plain HTTP keeps', () => {
  const config = loadConfig(serverEnv('api'));
  assert.equal(config.env, 'production');
  // the web container reaches the api over the compose network (a private address); never `true`
  assert.equal(config.trustProxy, 'loopback, uniquelocal');
  assert.equal(config.auth.cookieSecure, false);
  assert.equal(loadConfig(serverEnv('api', { ...dotEnv, COOKIE_SECURE: 'true' })).auth.cookieSecure, true);
  assert.equal(services.web!.environment?.API_ORIGIN, 'http://api:3001');
});

test('the images build on a supported Node LTS (22 or later; 20 is past its end of life)', () => {
  const bases = [...readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8').matchAll(/^FROM node:(\d+)/gm)].map((m) => Number(m[1]));
  assert.ok(bases.length > 0 && bases.every((major) => major >= 22 && major % 2 === 0), `node:${bases.join(', node:')}`);
});
