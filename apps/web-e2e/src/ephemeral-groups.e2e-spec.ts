import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { TConversation } from '@chatbox/contracts';
import { assertNoSeriousA11yViolations } from './accessibility';
import { ChatUi } from './chat-ui.page';
import { logIn, person, registered } from './people.fixture';
import { Platform, startPlatform } from './platform.fixture';

/** A live change shows on the other screen within this long (a busy shared machine). */
const LIVE_MS = 8000;

/**
 * Issue 18, ephemeral groups in the browser: created with the "Vanishing room" option, marked in
 * the conversation, live like any room, and the last member is asked before the room vanishes.
 */
describe('ephemeral groups, in Chromium', { timeout: 300_000 }, () => {
  let platform: Platform;
  before(async () => (platform = await startPlatform()));
  after(() => platform?.stop());

  test('create a vanishing room, chat live, and confirm before the last member leaves it for good', async () => {
    const { browser, webUrl } = platform;
    const [ann, bob] = [person('Ann', 'Host'), person('Bob', 'Guest')];
    const annR = await registered(webUrl, ann);
    await registered(webUrl, bob);
    const annToken = await logIn(webUrl, ann);
    const historyStatus = async (id: string) =>
      (await fetch(`${webUrl}/api/conversations/${id}/messages`, { headers: { authorization: `Bearer ${annToken}` } })).status;
    const name = `Pop-up ${randomBytes(2).toString('hex')}`;

    const annCtx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const bobCtx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const a = await ChatUi.loggedIn(annCtx, webUrl, ann);
    const b = await ChatUi.loggedIn(bobCtx, webUrl, bob);

    // the create dialog's option
    await a.page.getByRole('button', { name: /New group/ }).click();
    const dialog = a.page.getByRole('dialog', { name: 'Create a group' });
    await dialog.getByLabel('Name', { exact: true }).fill(name);
    await dialog.getByLabel('Vanishing room').check();
    await dialog.getByRole('combobox', { name: 'Add people' }).fill(bob.username);
    await dialog.getByRole('option', { name: new RegExp(`@${bob.username}`) }).click();
    await dialog.getByRole('button', { name: 'Create group' }).click();
    await dialog.waitFor({ state: 'detached' });
    await a.page.getByRole('heading', { level: 1, name }).waitFor();
    const note = a.page.getByRole('note').filter({ hasText: 'Messages here vanish when everyone has left.' });
    await note.waitFor();
    const group = ((await annR.api('GET', '/conversations')) as { items: TConversation[] }).items.find((c) => c.name === name);
    assert.ok(group?.ephemeral, 'the option made an ephemeral group');

    // live both ways, as in any room
    await b.openConversation(name, LIVE_MS);
    await b.page.getByRole('note').filter({ hasText: 'vanish when everyone has left' }).waitFor();
    await a.send('Here for a moment');
    await b.seeMessage('Here for a moment', LIVE_MS);
    await b.send('Me too');
    await a.seeMessage('Me too', LIVE_MS);
    await assertNoSeriousA11yViolations(a.page, 'an ephemeral room');

    // Bob leaves: an ordinary confirmation, the room stays for Ann
    await b.page.getByRole('button', { name: 'Group settings' }).click();
    const bobSettings = b.page.getByRole('dialog', { name: `${name} settings` });
    await bobSettings.getByRole('button', { name: 'Leave group' }).click();
    const bobAsk = bobSettings.getByRole('group', { name: 'Leave the group?' });
    assert.match((await bobAsk.textContent()) ?? '', /You will no longer see its messages/);
    await bobAsk.getByRole('button', { name: 'Yes, leave' }).click();
    await bobSettings.waitFor({ state: 'detached' });
    await a.page.getByText('1 member').first().waitFor({ timeout: LIVE_MS });

    // Ann is the last: the confirmation says the room vanishes; nothing happens before she agrees
    await a.page.getByRole('button', { name: 'Group settings' }).click();
    const settings = a.page.getByRole('dialog', { name: `${name} settings` });
    await settings.getByRole('button', { name: 'Leave group' }).click();
    const ask = settings.getByRole('group', { name: 'Leave the group?' });
    await ask.waitFor();
    assert.match((await ask.textContent()) ?? '', /last member: leaving deletes .* and all its messages for good/);
    await assertNoSeriousA11yViolations(a.page, 'the last member asked before an ephemeral room vanishes');
    assert.equal(await historyStatus(group.id), 200, 'still there while asking');
    await ask.getByRole('button', { name: 'Yes, leave and delete' }).click();
    await settings.waitFor({ state: 'detached' });
    await a.page.getByRole('heading', { level: 1, name }).waitFor({ state: 'detached', timeout: LIVE_MS });
    assert.equal(await historyStatus(group.id), 404, 'the room is gone');
    assert.deepEqual(a.dialogs.concat(b.dialogs), [], 'no alert/confirm/prompt ran');
    await annCtx.close();
    await bobCtx.close();
  });
});
