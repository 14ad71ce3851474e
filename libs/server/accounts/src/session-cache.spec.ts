import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '@chatbox/server-config';
import type { LiveSession, SessionRepository } from './session.repository';
import { SessionCache } from './session-cache';
import { JWT_ALGORITHM, jwtKey, TokenService } from './token.service';

const jwt = new JwtService({ secret: jwtKey('x'.repeat(32)), signOptions: { algorithm: JWT_ALGORITHM } });
const config = { redisPrefix: 'unit', auth: { sessionTtlSeconds: 3600, sessionIdleSeconds: 600, sessionCacheMs: 60_000 } } as AppConfig;
const live = (id: string): LiveSession => ({ id, createdAt: new Date(), expiresAt: new Date(Date.now() + 600_000), role: 'member', mustChangePassword: false });

/** A session table of one session that counts the checks; `answer` decides what a check finds. */
function sessions() {
  const repo = {
    checks: 0,
    answer: (id: string): Promise<LiveSession | null> => Promise.resolve(live(id)),
    findLive(id: string) {
      repo.checks++;
      return repo.answer(id);
    },
    delete: () => Promise.resolve(),
    deleteAllOfUser: () => Promise.resolve(1),
    extend: () => Promise.resolve(),
  };
  return repo;
}

const setUp = () => {
  const repo = sessions();
  const tokens = new TokenService(jwt, repo as unknown as SessionRepository, config, new SessionCache(config));
  const sub = randomUUID();
  const sid = randomUUID();
  return { repo, tokens, sub, sid, token: jwt.sign({ sub, sid }, { expiresIn: 60 }) };
};

test('a session checked once is trusted for SESSION_CACHE_MS: one query for many requests', async () => {
  const { repo, tokens, token, sub } = setUp();
  for (let i = 0; i < 5; i++) assert.equal((await tokens.verify(token))?.principal.userId, sub);
  assert.equal(repo.checks, 1);
});

test('logout, sign-out everywhere and a role change make the next request check again', async () => {
  const { repo, tokens, token, sid, sub } = setUp();
  await tokens.verify(token);
  await tokens.revoke(sid);
  repo.answer = () => Promise.resolve(null);
  assert.equal(await tokens.verify(token), null, 'revoked: refused at once');
  repo.answer = (id) => Promise.resolve(live(id));
  await tokens.verify(token);
  await tokens.revokeAll(sub);
  repo.answer = () => Promise.resolve(null);
  assert.equal(await tokens.verify(token), null, 'every session of the user revoked: refused at once');
  repo.answer = (id) => Promise.resolve(live(id));
  await tokens.verify(token);
  await tokens.forgetSessionsOf(sub);
  repo.answer = (id) => Promise.resolve({ ...live(id), role: 'admin' });
  assert.equal((await tokens.verify(token))?.principal.role, 'admin', 'the new role on the next request');
});

test('a check that was under way when the session was revoked is not remembered', async () => {
  const { repo, tokens, token, sid } = setUp();
  let finish!: () => void;
  repo.answer = (id) => new Promise((resolve) => (finish = () => resolve(live(id))));
  const racing = tokens.verify(token);
  await new Promise((r) => setImmediate(r));
  await tokens.revoke(sid); // committed while the check above was reading
  finish();
  assert.ok(await racing, 'it read the session before the logout');
  repo.answer = () => Promise.resolve(null);
  assert.equal(await tokens.verify(token), null, 'the next request asks again');
});

test('a session whose own expiry passed is not trusted, whatever the cache time', async () => {
  const { repo, tokens, token } = setUp();
  // at the end of its absolute lifetime: no use renews it
  const end = Date.now() + 30;
  repo.answer = (id) => Promise.resolve({ ...live(id), createdAt: new Date(end - config.auth.sessionTtlSeconds * 1000), expiresAt: new Date(end) });
  await tokens.verify(token);
  await new Promise((r) => setTimeout(r, 40));
  repo.answer = () => Promise.resolve(null);
  assert.equal(await tokens.verify(token), null);
});
