import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '@chatbox/server-config';
import type { SessionRepository } from './session.repository';
import { JWT_ALGORITHM, jwtKey, TokenService } from './token.service';
import { SessionCache } from './session-cache';

const jwt = new JwtService({ secret: jwtKey('x'.repeat(32)), signOptions: { algorithm: JWT_ALGORITHM } });
const config = { auth: { sessionTtlSeconds: 3600, sessionIdleSeconds: 600, sessionCacheMs: 0 } } as AppConfig;
const noCache = () => new SessionCache(config);
const tokenFor = () => jwt.sign({ sub: randomUUID(), sid: randomUUID() }, { expiresIn: 60 });

/** A session store that fails the way the given error says (what the real one does when PostgreSQL is gone). */
const failingSessions = (err: Error) => ({ findLive: () => Promise.reject(err) }) as unknown as SessionRepository;

test('a lost database makes verify throw (the caller answers unavailable), not call the token invalid', async () => {
  const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  const tokens = new TokenService(jwt, failingSessions(down), config, noCache());
  await assert.rejects(tokens.verify(tokenFor()), down);
});

test('a session lookup that fails because of the token itself finds no session', async () => {
  const badInput = Object.assign(new Error('invalid input syntax for type uuid'), { code: '22P02' });
  const tokens = new TokenService(jwt, failingSessions(badInput), config, noCache());
  assert.equal(await tokens.verify(tokenFor()), null);
});

test('a forged or garbage token is invalid without asking the database', async () => {
  const tokens = new TokenService(jwt, failingSessions(new Error('must not be asked')), config, noCache());
  assert.equal(await tokens.verify('garbage'), null);
  const forged = new JwtService({ secret: 'another secret of enough length!!' }).sign({ sub: randomUUID(), sid: randomUUID() });
  assert.equal(await tokens.verify(forged), null);
});

test('a valid token of a live session yields its user, its session and the moment the token ends', async () => {
  const live = { findLive: (id: string) => Promise.resolve({ id, createdAt: new Date(), expiresAt: new Date(Date.now() + 600_000), role: 'member', mustChangePassword: false }) } as unknown as SessionRepository;
  const tokens = new TokenService(jwt, live, config, noCache());
  const exp = Math.floor(Date.now() / 1000) + 90;
  const sub = randomUUID();
  const sid = randomUUID();
  const verified = await tokens.verify(jwt.sign({ sub, sid, exp }));
  assert.deepEqual(verified, { principal: { userId: sub, sessionId: sid, role: 'member', passwordChangeRequired: false }, expiresAt: new Date(exp * 1000) });
});

test('a correctly signed token without an expiry is not trusted', async () => {
  const tokens = new TokenService(jwt, failingSessions(new Error('must not be asked')), config, noCache());
  assert.equal(await tokens.verify(jwt.sign({ sub: randomUUID(), sid: randomUUID() })), null);
});
