import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { BrowserContext, Route } from 'playwright-core';
import { databaseUrlFor, migrate, recreateDatabase } from '@chatbox/tools';
import { Client } from 'pg';
import { FANOUT_QUEUE } from '@chatbox/contracts';
import { QUEUE_DASHBOARD_PATH } from '@chatbox/server-http';
import { assertNoSeriousA11yViolations } from './accessibility';
import { ChatUi } from './chat-ui.page';
import { person, registered } from './people.fixture';
import { Platform, SCREENSHOTS, startPlatform } from './platform.fixture';

/**
 * The admin area in the browser, on a database of its own: its first sign-up is the first user
 * ever (the admin), and switching sign-up to invite-only cannot disturb other test files.
 */
describe('administration in the browser', () => {
  const serverUrl = databaseUrlFor(process.env.DATABASE_URL ?? '', 'postgres');
  const databaseName = `${new URL(process.env.DATABASE_URL ?? '').pathname.slice(1)}_admin_web_${process.pid}`;
  let platform: Platform;
  const contexts: BrowserContext[] = [];
  const admin = person('Ada', 'Admin');

  before(async () => {
    await recreateDatabase(serverUrl, databaseName);
    await migrate(databaseUrlFor(serverUrl, databaseName));
    platform = await startPlatform({
      DATABASE_URL: databaseUrlFor(serverUrl, databaseName),
      // queues of this platform only: the other files' workers must not take its jobs
      REDIS_PREFIX: `${process.env.REDIS_PREFIX ?? 'chatbox-test'}-aw${process.pid}`,
    });
  });
  after(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await platform?.stop();
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`).finally(() => client.end());
  });

  const open = async (url: string, viewport = { width: 1280, height: 800 }) => {
    const context = await platform.browser.newContext({ viewport });
    contexts.push(context);
    return ChatUi.open(context, `${platform.webUrl}${url}`);
  };
  const adminArea = async (ui: ChatUi, tab: 'Users' | 'Sign-up' | 'Audit log') => {
    if (!ui.page.url().endsWith('/admin')) {
      await ui.page.getByRole('link', { name: 'Admin' }).click();
      await ui.page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    }
    await ui.page.getByRole('navigation', { name: 'Administration' }).getByRole('button', { name: tab }).click();
  };

  let adminUi: ChatUi;

  test('an admin deactivates someone who is chatting in another browser: they are logged out at once', { timeout: 120_000 }, async () => {
    adminUi = await open('/register');
    await adminUi.signUp(admin); // the first account of this server
    // three actions in the sidebar's header (Admin, Profile, Log out) leave the name and status readable
    const header = adminUi.page.locator('.sidebar-header');
    const [name, status, adminLink] = await Promise.all(
      [header.locator('.me-name'), header.locator('.me-status'), header.getByRole('link', { name: 'Admin' })].map((l) => l.boundingBox()),
    );
    for (const [what, box] of [['name', name], ['status', status]] as const) {
      assert.ok(box && adminLink && (box.x + box.width <= adminLink.x || box.y + box.height <= adminLink.y), `the ${what} runs under the Admin link`);
    }
    assert.equal(await header.locator('.me-name').textContent(), admin.displayName);
    assert.ok((name?.width ?? 0) >= 80, `the name has room (${name?.width} px)`);
    const bob = person('Bob', 'Chatter');
    await registered(platform.webUrl, bob);
    const bobUi = await open('/login');
    await bobUi.logIn(bob);
    await bobUi.openConversation('all');
    await bobUi.send('hello from bob');

    await adminArea(adminUi, 'Users');
    await adminUi.page.getByRole('searchbox', { name: 'Search by name' }).fill(bob.username);
    const row = adminUi.page.locator(`li.admin-user[data-username="${bob.username}"]`);
    await row.waitFor();
    await assertNoSeriousA11yViolations(adminUi.page, 'admin users');
    await row.getByRole('button', { name: 'Deactivate' }).click();
    const started = Date.now();
    await adminUi.page.getByRole('status').filter({ hasText: `${bob.username} was deactivated` }).waitFor();
    await row.getByText('deactivated', { exact: true }).waitFor();
    await adminUi.page.screenshot({ path: path.join(SCREENSHOTS, 'admin-users.png') });

    // bob's page, in his own browser, leaves the chat without him doing anything
    await bobUi.page.waitForURL(/\/login\?expired=1$/, { timeout: 5000 });
    assert.ok(Date.now() - started < 5000);
    await bobUi.page.getByText('Your session has ended').waitFor();
    await bobUi.page.getByLabel('Username').fill(bob.username);
    await bobUi.page.getByLabel('Password').fill(bob.password);
    await bobUi.page.getByRole('button', { name: 'Log in' }).click();
    await bobUi.page.getByRole('alert').filter({ hasText: 'deactivated by an administrator' }).waitFor();

    // back again: reactivated, he logs in
    await row.getByRole('button', { name: 'Reactivate' }).click();
    await row.getByRole('button', { name: 'Deactivate' }).waitFor();
    await bobUi.page.getByRole('button', { name: 'Log in' }).click();
    await bobUi.page.waitForURL('**/chat');
  });

  test('a password reset shows a one-time password once; its next login must choose a new password', { timeout: 120_000 }, async () => {
    const carol = person('Carol', 'Forgetful');
    await registered(platform.webUrl, carol);
    await adminUi.page.getByRole('searchbox', { name: 'Search by name' }).fill(carol.username);
    const row = adminUi.page.locator(`li.admin-user[data-username="${carol.username}"]`);
    await row.getByRole('button', { name: 'Reset password' }).click();
    const shown = adminUi.page.getByRole('textbox', { name: `One-time password for ${carol.username}` });
    const oneTime = await shown.inputValue();
    assert.match(oneTime, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    await adminUi.page.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'detached' });

    const carolUi = await open('/login', { width: 390, height: 844 });
    await carolUi.page.getByLabel('Username').fill(carol.username);
    await carolUi.page.getByLabel('Password').fill(oneTime);
    await carolUi.page.getByRole('button', { name: 'Log in' }).click();
    await carolUi.page.waitForURL('**/password');
    await assertNoSeriousA11yViolations(carolUi.page, 'choose a new password');
    await carolUi.page.getByRole('textbox', { name: /^One-time password/ }).fill(oneTime);
    await carolUi.page.getByRole('textbox', { name: /^New password/ }).fill('my very own secret');
    await carolUi.page.getByRole('button', { name: 'Set new password' }).click();
    await carolUi.page.waitForURL('**/chat');
    await carolUi.page.locator('.me-status', { hasText: 'online' }).waitFor();
  });

  test('invite-only sign-up through an invite link; closed sign-up says so', { timeout: 120_000 }, async () => {
    await adminArea(adminUi, 'Sign-up');
    await adminUi.page.getByLabel(/Invite only/).check();
    await adminUi.page.getByRole('status').filter({ hasText: 'Sign-up is now invite only.' }).waitFor();
    await adminUi.page.getByRole('button', { name: 'Create invite link' }).click();
    const link = await adminUi.page.getByRole('textbox', { name: 'Invite link' }).first().inputValue();
    assert.match(link, new RegExp(`^${platform.webUrl}/register\\?invite=[A-Za-z0-9_-]{22}$`));
    await assertNoSeriousA11yViolations(adminUi.page, 'admin sign-up');
    await adminUi.page.screenshot({ path: path.join(SCREENSHOTS, 'admin-signup.png') });

    // without an invite the sign-up page says what it needs
    const stranger = await open('/register', { width: 390, height: 844 });
    await stranger.page.getByText('needs an invite from an administrator').waitFor();
    assert.equal(await stranger.page.getByLabel('Invite code').inputValue(), '');

    // the link opens sign-up with the code filled in
    const dora = person('Dora', 'Invited');
    const invited = await open(link.slice(platform.webUrl.length), { width: 390, height: 844 });
    await invited.page.getByText('needs an invite from an administrator').waitFor();
    assert.equal(await invited.page.getByLabel('Invite code').inputValue(), link.split('invite=')[1]);
    await assertNoSeriousA11yViolations(invited.page, 'invite sign-up');
    await invited.signUp(dora);

    // someone quick on a slow network: the page's code and its question "who may sign up?" arrive
    // late; the form takes nothing before it can send it right (no native submit putting the
    // password into the address, no submit without the link's code)
    const quick = person('Quinn', 'Quick');
    const slowContext = await platform.browser.newContext({ viewport: { width: 390, height: 844 } });
    contexts.push(slowContext);
    const late = (ms: number) => async (route: Route) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      await route.continue();
    };
    await slowContext.route('**/_next/static/chunks/**', late(1_500));
    await slowContext.route('**/api/registration', late(3_000));
    const slow = await slowContext.newPage();
    // the delays above add up (chunks that load chunks, 1.5 s each wave, then 3 s for the
    // question) before the answer can show: 10 s failed a CI run on a loaded machine
    slow.setDefaultTimeout(30_000);
    await slow.goto(link, { waitUntil: 'commit' });
    await slow.getByLabel('Username').fill(quick.username);
    await slow.getByLabel('Password').fill(quick.password);
    await slow.getByRole('button', { name: 'Sign up' }).click();
    assert.doesNotMatch(slow.url(), /password/, 'the password never goes into the address');
    await slow.getByRole('alert').filter({ hasText: 'invite is not valid' }).waitFor();
    assert.doesNotMatch(slow.url(), /password/, 'the password never goes into the address');
    assert.equal(await slow.getByLabel('Username').inputValue(), quick.username, 'what was typed early is kept');

    // the same link a second time, on a slow phone, typed as soon as the form shows: used up (the
    // link's code once got lost when typing landed while the page was still starting: "needs an invite")
    const phone = await platform.browser.newContext({ viewport: { width: 390, height: 844 } });
    contexts.push(phone);
    const again = await phone.newPage();
    again.setDefaultTimeout(30_000);
    await (await phone.newCDPSession(again)).send('Emulation.setCPUThrottlingRate', { rate: 6 });
    await again.goto(link);
    const eve = person('Eve', 'Late');
    await again.getByLabel('Username').fill(eve.username);
    await again.getByLabel('Password').fill(eve.password);
    await again.getByRole('button', { name: 'Sign up' }).click();
    await again.getByRole('alert').filter({ hasText: 'invite is not valid' }).waitFor();

    await adminUi.page.getByLabel(/Closed/).check();
    await adminUi.page.getByRole('status').filter({ hasText: 'Sign-up is now closed.' }).waitFor();
    await again.reload();
    await again.getByRole('heading', { level: 1, name: 'Sign-up is closed' }).waitFor();
    assert.equal(await again.getByRole('button', { name: 'Sign up' }).count(), 0);
    await assertNoSeriousA11yViolations(again, 'closed sign-up');
  });

  test('the audit log shows what the admins did', { timeout: 60_000 }, async () => {
    await adminArea(adminUi, 'Audit log');
    const log = adminUi.page.locator('ol.audit');
    for (const words of ['reactivated', 'deactivated', 'reset the password of', 'set sign-up to invite', 'created an invite link', 'set sign-up to closed']) {
      await log.getByText(words).first().waitFor();
    }
    assert.equal(await log.locator('li').first().getAttribute('data-action'), 'settings.update', 'newest first');
    await assertNoSeriousA11yViolations(adminUi.page, 'audit log');
    await adminUi.page.screenshot({ path: path.join(SCREENSHOTS, 'admin-audit.png') });
    // on a phone, every user's actions stay reachable
    await adminUi.page.setViewportSize({ width: 390, height: 844 });
    await adminArea(adminUi, 'Users');
    await adminUi.page.getByRole('searchbox', { name: 'Search by name' }).fill('');
    await adminUi.page.locator('li.admin-user').getByRole('button', { name: 'Reset password' }).first().waitFor();
    await assertNoSeriousA11yViolations(adminUi.page, 'admin users on a phone');
    await adminUi.page.screenshot({ path: path.join(SCREENSHOTS, 'admin-users-phone.png') });
    await adminUi.page.setViewportSize({ width: 1280, height: 800 });
  });

  test('an admin sees the fan-out queue on the queue dashboard, rendered under its CSP, and can pause it', { timeout: 60_000 }, async () => {
    const page = await adminUi.page.context().newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (m) => m.type() === 'error' && !/fonts\.googleapis/.test(m.text()) && problems.push(m.text()));
    const res = await page.goto(`${platform.webUrl}${QUEUE_DASHBOARD_PATH}`);
    assert.equal(res?.status(), 200);
    await page.getByText(FANOUT_QUEUE, { exact: true }).first().waitFor();
    await page.getByText('Loading...').waitFor({ state: 'hidden' }); // its counts came from its JSON API
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-queues.png') });
    // the dashboard's own actions are same-origin fetches without our CSRF header: the browser vouches for them
    const status = (action: string) => page.evaluate(async (u) => (await fetch(u, { method: 'PUT' })).status, `api/queues/${FANOUT_QUEUE}/${action}`);
    assert.equal(await status('pause'), 200);
    assert.equal(await status('resume'), 200);
    assert.deepEqual(problems, [], 'the page ran without script or CSP errors');
    await page.close();
  });

  test('members see no admin link, and the admin page tells them it is not for them', { timeout: 60_000 }, async () => {
    await adminArea(adminUi, 'Sign-up');
    await adminUi.page.getByLabel(/Open/).check();
    await adminUi.page.getByRole('status').filter({ hasText: 'Sign-up is now open.' }).waitFor();
    const member = person('Max', 'Member');
    await registered(platform.webUrl, member);
    const ui = await open('/login');
    await ui.logIn(member);
    assert.equal(await ui.page.getByRole('link', { name: 'Admin' }).count(), 0);
    await ui.page.goto(`${platform.webUrl}/admin`);
    await ui.page.getByText('Only administrators can open this page.').waitFor();
    assert.equal((await ui.page.goto(`${platform.webUrl}${QUEUE_DASHBOARD_PATH}`))?.status(), 403, 'nor the queue dashboard');
  });
});
