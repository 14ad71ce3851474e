import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '@chatbox/server-config';
import { Prisma, PrismaService } from '@chatbox/server-db';

/**
 * The api's statements are planned once per session, not on every call: planning a batch
 * statement took three times as long as running it (see SESSION_OPTIONS in prisma.service.ts).
 */
describe('database sessions', () => {
  let prisma: PrismaService;

  before(() => {
    // one connection: every statement below meets the same session and its prepared statements
    prisma = new PrismaService({ ...loadConfig(), databasePoolSize: 1 });
  });
  after(() => prisma.$disconnect());

  const planMode = async (options?: { plan: 'custom' }) =>
    (await prisma.rows<{ mode: string }>(Prisma.sql`SELECT current_setting('plan_cache_mode') AS "mode"`, options))[0].mode;

  test('a batch statement over arrays is planned once, however often it runs', async () => {
    // the shape of every batch statement: its input is arrays of unknown length
    const batch = (ids: number[]) => Prisma.sql`SELECT t."id" * 2 AS "twice" FROM unnest(${ids}::int[]) AS t("id") JOIN pg_class c ON c.oid = t."id"`;
    for (let i = 1; i <= 8; i++) await prisma.rows(batch([i, i + 1]));
    const [plans] = await prisma.rows<{ generic: number; custom: number }>(Prisma.sql`
      SELECT generic_plans::int AS "generic", custom_plans::int AS "custom" FROM pg_prepared_statements
      WHERE statement LIKE '%unnest(%::int[]) AS t("id") JOIN pg_class%' AND statement NOT LIKE '%pg_prepared_statements%'`);
    assert.deepEqual(plans, { generic: 8, custom: 0 });
  });

  test('PGOPTIONS adds its settings to the sessions\' own (a diagnosis must reach the api\'s connections)', async () => {
    const diagnosed = new PrismaService({ ...loadConfig(), databasePoolSize: 1, databaseSessionOptions: '-c application_name=chatbox-diagnosis' });
    try {
      const [row] = await diagnosed.rows<{ app: string; mode: string }>(
        Prisma.sql`SELECT current_setting('application_name') AS "app", current_setting('plan_cache_mode') AS "mode"`,
      );
      assert.deepEqual(row, { app: 'chatbox-diagnosis', mode: 'force_generic_plan' });
    } finally {
      await diagnosed.onModuleDestroy();
    }
  });

  test('a statement that asks for plans made for its values gets them, and the session goes back to planning once', async () => {
    assert.equal(await planMode(), 'force_generic_plan');
    assert.equal(await planMode({ plan: 'custom' }), 'force_custom_plan');
    assert.equal(await planMode(), 'force_generic_plan');
  });

  test('a failing statement that asks for custom plans leaves the session usable', async () => {
    await assert.rejects(prisma.rows(Prisma.sql`SELECT 1 / 0`, { plan: 'custom' }), /division by zero/);
    assert.equal(await planMode(), 'force_generic_plan');
  });
});
