import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { createTestApp, TestApp } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** A JWT built by hand, so every part (header, algorithm, signature) is the attacker's choice. */
function jwt(header: Record<string, unknown>, payload: Record<string, unknown>, sign: (input: string) => string): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign(input)}`;
}
const hmac = (alg: 'sha256' | 'sha512', secret: string | Buffer) => (input: string) => createHmac(alg, secret).update(input).digest('base64url');

describe('security: tokens', () => {
  let t: TestApp;
  const secret = process.env.JWT_SECRET ?? '';
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

  before(async () => {
    // sessions are expired and moved with SQL here, behind the api's back: no session cache
    process.env.SESSION_CACHE_MS = '0';
    t = await createTestApp(ApiModule);
  });
  after(() => t.close());

  /** A live user, its session id (from its real token) and a payload naming that session. */
  async function victim() {
    const reg = await t.client.registerUser();
    const [, payload] = reg.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { sub: string; sid: string };
    return { ...reg, claims: { sub: claims.sub, sid: claims.sid, iat: now(), exp: now() + 3600 } };
  }

  async function assertRefused(token: string, userId: string) {
    const me = await t.client.get('/me', token);
    assert.equal(me.status, 401);
    assert.equal(me.body.error.code, 'unauthorized');
    assert.doesNotMatch(JSON.stringify(me.body), new RegExp(userId));
    // The refused token started nothing: the victim still has exactly its one login.
    assert.equal(await t.prisma.session.count({ where: { userId } }), 1);
  }

  test('control: a hand-made HS256 token with the real secret and a live session is accepted', async () => {
    const v = await victim();
    const token = jwt({ alg: 'HS256', typ: 'JWT' }, v.claims, hmac('sha256', secret));
    assert.equal((await t.client.get('/me', token)).status, 200);
  });

  test('alg "none" (unsigned) is refused', async () => {
    const v = await victim();
    await assertRefused(jwt({ alg: 'none', typ: 'JWT' }, v.claims, () => ''), v.user.id);
    await assertRefused(`${b64({ alg: 'none' })}.${b64(v.claims)}.`, v.user.id);
    await assertRefused(jwt({ alg: 'NONE' }, v.claims, () => ''), v.user.id);
  });

  test('HS/RS confusion: HS256 signed with an RSA public key as the HMAC secret is refused', async () => {
    const v = await victim();
    await assertRefused(jwt({ alg: 'HS256', typ: 'JWT' }, v.claims, hmac('sha256', publicPem)), v.user.id);
  });

  test('RS256 signed with an attacker key (even one embedded in the header) is refused', async () => {
    const v = await victim();
    const rs = (input: string) => createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url');
    await assertRefused(jwt({ alg: 'RS256', typ: 'JWT' }, v.claims, rs), v.user.id);
    const jwk = publicKey.export({ format: 'jwk' });
    await assertRefused(jwt({ alg: 'RS256', typ: 'JWT', jwk }, v.claims, rs), v.user.id);
  });

  test('a different algorithm with the real secret (HS512) is refused: the algorithm is pinned', async () => {
    const v = await victim();
    await assertRefused(jwt({ alg: 'HS512', typ: 'JWT' }, v.claims, hmac('sha512', secret)), v.user.id);
  });

  test('a forged signature (another secret) and a tampered payload are refused', async () => {
    const v = await victim();
    await assertRefused(jwt({ alg: 'HS256' }, v.claims, hmac('sha256', 'another-secret-another-secret-0123456')), v.user.id);
    const [h, , s] = v.accessToken.split('.');
    const other = await t.client.registerUser();
    await assertRefused(`${h}.${b64({ ...v.claims, sub: other.user.id })}.${s}`, v.user.id);
  });

  test('an expired token is refused even though its session is live', async () => {
    const v = await victim();
    const expired = jwt({ alg: 'HS256' }, { ...v.claims, iat: now() - 7200, exp: now() - 3600 }, hmac('sha256', secret));
    await assertRefused(expired, v.user.id);
  });

  test('a correctly signed token naming a session that does not exist, or another user\'s session, is refused', async () => {
    const v = await victim();
    await assertRefused(jwt({ alg: 'HS256' }, { ...v.claims, sid: randomUUID() }, hmac('sha256', secret)), v.user.id);
    const other = await victim();
    await assertRefused(jwt({ alg: 'HS256' }, { ...v.claims, sid: other.claims.sid }, hmac('sha256', secret)), v.user.id);
    await assertRefused(jwt({ alg: 'HS256' }, { sub: v.claims.sub, exp: now() + 60 }, hmac('sha256', secret)), v.user.id);
    await assertRefused(jwt({ alg: 'HS256' }, { ...v.claims, sid: 'not-a-uuid' }, hmac('sha256', secret)), v.user.id);
  });

  test('a revoked token (logout) is refused on every endpoint', async () => {
    const v = await victim();
    assert.equal((await t.client.post('/auth/logout', undefined, v.accessToken)).status, 204);
    assert.equal(await t.prisma.session.count({ where: { userId: v.user.id } }), 0);
    assert.equal((await t.client.get('/me', v.accessToken)).status, 401);
    assert.equal((await t.client.post('/auth/logout', undefined, v.accessToken)).status, 401);
    const change = await t.client.post('/auth/password', { currentPassword: v.password, newPassword: 'tram-violet-otter-42' }, v.accessToken);
    assert.equal(change.status, 401);
    // The password did not change: the old one still logs in.
    assert.equal((await t.client.post('/auth/login', { username: v.user.username, password: v.password })).status, 200);
  });

  test('a token in the query string is never read', async () => {
    const v = await victim();
    const res = await t.client.request('GET', `/me?access_token=${v.accessToken}&token=${v.accessToken}`);
    assert.equal(res.status, 401);
  });

  test('sessions expire server-side: a token whose session expiry has passed is refused', async () => {
    const v = await victim();
    await t.prisma.session.updateMany({ where: { id: v.claims.sid }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const me = await t.client.get('/me', v.accessToken);
    assert.equal(me.status, 401);
  });

  test('sessions slide: use pushes the expiry to now + idle time, never past the absolute lifetime', async () => {
    const v = await victim();
    const session = () => t.prisma.session.findUniqueOrThrow({ where: { id: v.claims.sid } });
    const day = 24 * 3600 * 1000;
    await t.prisma.session.update({ where: { id: v.claims.sid }, data: { expiresAt: new Date(Date.now() + 60_000) } });
    assert.equal((await t.client.get('/me', v.accessToken)).status, 200);
    assert.ok((await session()).expiresAt.getTime() > Date.now() + day, 'a used session is renewed for the idle time');
    // A login near its absolute end is renewed only up to createdAt + SESSION_TTL_SECONDS (7 days).
    const createdAt = new Date(Date.now() - 7 * day + 3600_000);
    await t.prisma.session.update({ where: { id: v.claims.sid }, data: { createdAt, expiresAt: new Date(Date.now() + 1000) } });
    assert.equal((await t.client.get('/me', v.accessToken)).status, 200);
    const end = (await session()).expiresAt.getTime();
    assert.equal(end, createdAt.getTime() + 7 * day, `renewed to ${new Date(end).toISOString()}`);
  });
});
