import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { TAuthResponse, TConversation } from '@chatbox/contracts';
import { ChatUi, Person } from './chat-ui.page';
import { Platform, startPlatform } from './platform.fixture';

const RLO = '\u202E';

const person = (first: string): Person => ({
  username: `${first.toLowerCase()}_${randomBytes(3).toString('hex')}`,
  displayName: first,
  password: 'correct horse battery',
});

/** What the api answered, for seeding over REST. */
async function call<T>(webUrl: string, method: string, path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(`${webUrl}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  assert.ok(res.ok, `${method} ${path} answered ${res.status}`);
  return (await res.json()) as T;
}

describe('names people choose, in Chromium', { timeout: 120_000 }, () => {
  let platform: Platform;
  before(async () => (platform = await startPlatform()));
  after(() => platform?.stop());

  test('a direction override is refused at sign-up and at group creation, with the error shown by the field', async () => {
    const { browser, webUrl } = platform;
    const ctx = await browser.newContext({ viewport: { width: 1200, height: 760 } });
    const ui = await ChatUi.open(ctx, `${webUrl}/register`);
    await ui.page.waitForLoadState('networkidle');
    const eve = person('Eve');
    await ui.page.getByLabel('Username').fill(eve.username);
    await ui.page.getByLabel('Display name').fill(`Eve${RLO}gnp.exe`);
    await ui.page.getByLabel('Password').fill(eve.password);
    await ui.page.getByRole('button', { name: 'Sign up' }).click();
    const error = ui.page.locator('#displayName-note.field-error');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /^Display name must not contain invisible formatting characters/);
    assert.match(ui.page.url(), /\/register$/);

    await ui.signUp(eve);
    await ui.page.getByRole('button', { name: /New group/ }).click();
    const dialog = ui.page.getByRole('dialog', { name: 'Create a group' });
    await dialog.getByLabel('Name', { exact: true }).fill(`Team${RLO}`);
    await dialog.getByRole('button', { name: 'Create group' }).click();
    const nameError = dialog.locator('#group-name-error');
    await nameError.waitFor();
    assert.match((await nameError.textContent()) ?? '', /^Name must not contain invisible formatting characters/);
    await ctx.close();
  });

  test('names stored before the rule are isolated wherever they are shown, and the sender line names the username too', async () => {
    const { browser, webUrl } = platform;
    const mallory = person('Mallory');
    const victim = person('Victim');
    const m = await call<TAuthResponse>(webUrl, 'POST', '/auth/register', mallory);
    const v = await call<TAuthResponse>(webUrl, 'POST', '/auth/register', victim);
    const group = await call<TConversation>(webUrl, 'POST', '/groups', { name: 'Team', memberIds: [v.user.id] }, m.accessToken);
    await call(webUrl, 'POST', `/conversations/${group.id}/messages`, { clientMsgId: 'hi-1', body: 'hello' }, m.accessToken);
    // what an older version let in: a name with an unterminated right-to-left override
    const evilName = `Mallory${RLO}gnp.exe`;
    const evilGroup = `Team${RLO}abc`;
    const db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    try {
      await db.query('UPDATE "User" SET "displayName" = $1 WHERE id = $2', [evilName, m.user.id]);
      await db.query('UPDATE "Conversation" SET name = $1 WHERE id = $2', [evilGroup, group.id]);
    } finally {
      await db.end();
    }

    const ctx = await browser.newContext({ viewport: { width: 1200, height: 760 } });
    const ui = await ChatUi.open(ctx, `${webUrl}/login`);
    await ui.logIn(victim);
    await ui.openConversation(evilGroup);
    const page = ui.page;

    // the sender line: the chosen name in <bdi>, then the username nobody else can have
    const header = page.locator('[data-testid="message"] .message-header').first();
    assert.equal(await header.locator('.sender > bdi').textContent(), evilName);
    assert.equal(await header.locator('.sender-username').textContent(), `@${mallory.username}`);
    // the group's name in the sidebar and the pane title, and the composer's placeholder
    assert.equal(await ui.conversationButton(evilGroup).locator('.conversation-name > bdi').textContent(), evilGroup);
    assert.equal(await page.locator('.pane-title h1 > bdi').textContent(), evilGroup);
    // (a private group is "Message name", not "#name": issue 14 item 8)
    assert.equal(await page.getByRole('combobox', { name: /^Message / }).getAttribute('placeholder'), `Message \u2068${evilGroup}\u2069`);
    // the member list of the group's settings, and the dialog's title
    await page.getByRole('button', { name: 'Group settings' }).click();
    const settings = page.getByRole('dialog', { name: `${evilGroup} settings` });
    assert.equal(await settings.locator('.dialog-header h2 > bdi').textContent(), evilGroup);
    const member = settings.locator(`[data-member="${mallory.username}"]`);
    assert.equal(await member.locator('bdi').textContent(), evilName);
    assert.equal(await member.locator('.muted').first().textContent(), `@${mallory.username}`);
    // isolated means: nothing after the name is reordered by it (its box ends before "settings" starts)
    const nameBox = await settings.locator('.dialog-header h2 > bdi').boundingBox();
    const titleBox = await settings.locator('.dialog-header h2').boundingBox();
    assert.ok(nameBox && titleBox && Math.abs(nameBox.x - titleBox.x) < 1, 'the name starts the title, " settings" follows it');
    await ctx.close();
  });
});
