import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AUTH_COOKIE, FANOUT_QUEUE } from '@chatbox/contracts';
import { createTestApp, eventually, TestApp } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';
import { people, Person } from './support/chat-fixtures';

/** Issue 15: the BullMQ dashboard (bull-board) at /api/admin/queues, for admins only. */
describe('queue dashboard: /api/admin/queues', () => {
  let t: TestApp;
  let admin: Person;
  let member: Person;
  let asset: string;
  before(async () => {
    // queues of this file only: pausing ours must not stop another file's fan-out
    process.env.REDIS_PREFIX = `${process.env.REDIS_PREFIX ?? 'chatbox-test'}-q${process.pid}`;
    // roles and sessions are changed with SQL here, behind the api's back: no session cache
    process.env.SESSION_CACHE_MS = '0';
    t = await createTestApp(ApiModule);
    [admin, member] = await people(t, 2);
    await t.prisma.user.update({ where: { id: admin.id }, data: { role: 'admin' } });
    const page = await get('', { authorization: `Bearer ${admin.token}` });
    assert.equal(page.status, 200);
    asset = /src="(static\/js\/main\.[^"]+\.js)"/.exec(await page.text())?.[1] ?? assert.fail('no script in the page');
  });
  after(() => t.close());

  const url = (path: string) => `${t.baseUrl}/api/admin/queues${path}`;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(url(path), { headers });
  const bearer = (p: Person) => ({ authorization: `Bearer ${p.token}` });
  const cookie = (p: Person) => ({ cookie: `${AUTH_COOKIE}=${p.token}` });

  test('page, JSON API and files: 401 without a session, 403 for a member, 200 for an admin (bearer or cookie)', async () => {
    for (const path of ['/', '/api/queues', `/${asset}`]) {
      assert.equal((await get(path)).status, 401, path);
      assert.equal((await get(path, { authorization: 'Bearer not-a-token' })).status, 401, path);
      const refused = await get(path, bearer(member));
      assert.equal(refused.status, 403, path);
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'forbidden');
      assert.equal((await get(path, cookie(member))).status, 403, path);
      assert.equal((await get(path, bearer(admin))).status, 200, path);
      assert.equal((await get(path, cookie(admin))).status, 200, path);
    }
  });

  test('a logged-out admin session is a 401', async () => {
    const [other] = await people(t, 1);
    await t.prisma.user.update({ where: { id: other.id }, data: { role: 'admin' } });
    assert.equal((await get('/api/queues', bearer(other))).status, 200);
    await t.prisma.session.deleteMany({ where: { userId: other.id } });
    assert.equal((await get('/api/queues', bearer(other))).status, 401);
  });

  test('lists the fan-out queue', async () => {
    const res = await get('/api/queues', bearer(admin));
    const body = (await res.json()) as { queues: { name: string }[] };
    assert.deepEqual(body.queues.map((q) => q.name), [FANOUT_QUEUE]);
  });

  test('the page loads its own files only: a CSP that allows no other origin', async () => {
    const res = await get('/', bearer(admin));
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /https:/);
  });

  test('actions: cookie writes need our CSRF header or a same-origin fetch the browser vouches for', async () => {
    const pause = (headers: Record<string, string>) => fetch(url(`/api/queues/${FANOUT_QUEUE}/pause`), { method: 'PUT', headers });
    const resume = (headers: Record<string, string>) => fetch(url(`/api/queues/${FANOUT_QUEUE}/resume`), { method: 'PUT', headers });
    const sameOrigin = { origin: t.baseUrl, 'sec-fetch-site': 'same-origin' };
    assert.equal((await pause(cookie(admin))).status, 403, 'a cookie alone');
    assert.equal((await pause({ ...cookie(admin), 'sec-fetch-site': 'same-origin' })).status, 403, 'without an Origin');
    assert.equal((await pause({ ...cookie(admin), origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })).status, 403, 'cross-site');
    assert.equal((await pause({ ...cookie(admin), origin: t.baseUrl, 'sec-fetch-site': 'same-site' })).status, 403, 'same-site is not same-origin');
    assert.equal((await pause({ ...cookie(member), ...sameOrigin })).status, 403, 'a member');
    const queue = async () => ((await (await get('/api/queues', bearer(admin))).json()) as { queues: { isPaused: boolean }[] }).queues[0]!;
    assert.equal((await queue()).isPaused, false, 'nothing refused paused it');
    assert.equal((await pause({ ...cookie(admin), ...sameOrigin })).status, 200);
    assert.equal((await queue()).isPaused, true);
    assert.equal((await resume(bearer(admin))).status, 200);
    assert.equal((await queue()).isPaused, false);
  });

  test('every action taken on the dashboard is in the audit log, with who did it; refused ones are not', async () => {
    const since = new Date();
    const put = (path: string, headers: Record<string, string>) => fetch(url(`/api/queues/${FANOUT_QUEUE}/${path}`), { method: 'PUT', headers });
    assert.equal((await put('pause', bearer(member))).status, 403);
    assert.equal((await put('pause', bearer(admin))).status, 200);
    assert.equal((await put('resume', bearer(admin))).status, 200);
    assert.equal((await get('/api/queues', bearer(admin))).status, 200, 'a read is not an action');
    const written = () => t.prisma.auditLog.findMany({ where: { createdAt: { gte: since } }, orderBy: { createdAt: 'asc' } });
    // written once the answer has gone out
    await eventually(async () => (await written()).length >= 2, 'the audit entries');
    const entries = await written();
    assert.deepEqual(
      entries.map((e) => [e.action, e.actorId, e.details]),
      [
        ['queue.action', admin.id, { queue: FANOUT_QUEUE, operation: 'pause' }],
        ['queue.action', admin.id, { queue: FANOUT_QUEUE, operation: 'resume' }],
      ],
    );
    const shown = await fetch(`${t.baseUrl}/api/admin/audit`, { headers: bearer(admin) });
    const page = (await shown.json()) as { items: { action: string; actor: { id: string } }[] };
    assert.equal(page.items[0]?.action, 'queue.action', 'the admin API lists it');
    assert.equal(page.items[0]?.actor.id, admin.id);
  });

  test('the vouched same-origin exception is the dashboard\'s only: elsewhere the header rule holds', async () => {
    const res = await fetch(`${t.baseUrl}/api/admin/settings`, { method: 'PATCH', headers: { ...cookie(admin), origin: t.baseUrl, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 403);
  });
});
