import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, TestApp, uniqueUsername } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';

// The production-like bcrypt cost, for this file's app only: at the test cost (4) a hash takes
// ~1 ms and the comparison would measure noise rather than the code path.
process.env.BCRYPT_COST = '10';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

describe('security: login timing', () => {
  let t: TestApp;
  before(async () => (t = await createTestApp(ApiModule)));
  after(() => t.close());

  test('unknown user and wrong password take the same time (within 20 %, pair by pair)', async () => {
    const { user } = await t.client.registerUser();
    const timed = async (username: string) => {
      const started = performance.now();
      const res = await t.client.post('/auth/login', { username, password: 'not the password' });
      assert.equal(res.status, 401);
      return performance.now() - started;
    };
    for (let i = 0; i < 3; i++) await Promise.all([timed(user.username), timed(uniqueUsername('ghost'))]); // warm-up
    const wrong: number[] = [];
    const unknown: number[] = [];
    const gaps: number[] = [];
    // In back-to-back pairs (which one goes first alternates), so each comparison is made under
    // the same machine load: other test files run beside this one and bursts of their CPU use
    // skewed whole-series medians by 20 % on a busy CI machine.
    for (let i = 0; i < 40; i++) {
      let w: number, u: number;
      if (i % 2) {
        w = await timed(user.username);
        u = await timed(uniqueUsername('ghost'));
      } else {
        u = await timed(uniqueUsername('ghost'));
        w = await timed(user.username);
      }
      wrong.push(w);
      unknown.push(u);
      gaps.push((u - w) / Math.max(u, w));
    }
    const [w, u, gap] = [median(wrong), median(unknown), median(gaps)];
    console.log(`# login timing at bcrypt cost 10: wrong password median ${w.toFixed(1)} ms, unknown user median ${u.toFixed(1)} ms, median gap within pairs ${(gap * 100).toFixed(1)}%`);
    assert.ok(w > 20, `cost 10 should take tens of ms, took ${w} ms`);
    assert.ok(Math.abs(gap) <= 0.2, `unknown user vs wrong password differ by ${(gap * 100).toFixed(1)}% (median within pairs)`);
    assert.equal(await t.prisma.session.count({ where: { userId: user.id } }), 1);
  });
});
