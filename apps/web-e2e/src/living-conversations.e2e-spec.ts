import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { BrowserContextOptions, Locator } from 'playwright-core';
import { assertNoSeriousA11yViolations } from './accessibility';
import { ChatUi } from './chat-ui.page';
import { person } from './people.fixture';
import { Platform, SCREENSHOTS, startPlatform } from './platform.fixture';

/** The other person sees each change within this long (issue 13). */
const LIVE_MS = 1000;

const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** The confirmed message whose text contains `text` (its article, actions and chips included). */
const messageWith = (ui: ChatUi, text: string, scope = ui.page.locator('.message-list')): Locator =>
  scope.locator('[data-testid="message"][data-status="sent"]').filter({ has: ui.page.locator('.message-body', { hasText: text }) }).last();

/** Opens a message's actions as a person would: hover with a mouse, a tap on a touch screen. */
async function action(ui: ChatUi, message: Locator, name: string): Promise<void> {
  if (await ui.isTouch()) await message.tap({ position: { x: 60, y: 8 } });
  else await message.hover();
  const button = message.getByRole('toolbar', { name: 'Message actions' }).getByRole('button', { name });
  if (await ui.isTouch()) await button.tap();
  else await button.click();
}

describe('living conversations in Chromium', { timeout: 180_000 }, () => {
  let platform: Platform;
  before(async () => (platform = await startPlatform()));
  after(() => platform?.stop());

  test('two people edit, delete, react, reply in a thread, see "Seen by" and "is typing"; an offline one comes back to the changes', async () => {
    const { browser, webUrl } = platform;
    const alice = person('Alice', 'Martin');
    const bob = person('Bob', 'Chen');
    const group = `Living ${randomBytes(2).toString('hex')}`;
    const aliceCtx = await browser.newContext(DESKTOP);
    let bobCtx = await browser.newContext(DESKTOP);
    const a = await ChatUi.open(aliceCtx, `${webUrl}/register`);
    await a.signUp(alice);
    let b = await ChatUi.open(bobCtx, `${webUrl}/register`);
    await b.signUp(bob);
    await a.createGroup(group, 'private', bob.username);
    await b.openConversation(group);

    await a.send('Release at 3pm');
    await b.seeMessage('Release at 3pm', LIVE_MS);
    await b.send('Notes are in the wiki');
    await a.seeMessage('Notes are in the wiki', LIVE_MS);

    // edit: alice's own message, marked "(edited)" on both screens
    await action(a, messageWith(a, 'Release at 3pm'), 'Edit message');
    const edit = a.page.getByRole('textbox', { name: 'Edit message' });
    await edit.fill('Release at 4pm');
    await edit.press('Enter');
    await messageWith(b, 'Release at 4pm').locator('.edited-marker').waitFor({ timeout: LIVE_MS });
    assert.equal(await messageWith(a, 'Release at 4pm').locator('.edited-marker').textContent(), ' (edited)');
    // bob cannot edit or delete alice's message: those actions are not offered
    await messageWith(b, 'Release at 4pm').hover();
    assert.equal(await messageWith(b, 'Release at 4pm').getByRole('button', { name: 'Edit message' }).count(), 0);

    // react: bob picks from the picker, alice sees the chip and who reacted; her click adds hers
    await action(b, messageWith(b, 'Release at 4pm'), 'Add reaction');
    const picker = b.page.getByRole('dialog', { name: 'Add a reaction' });
    await picker.waitFor();
    await assertNoSeriousA11yViolations(b.page, 'the emoji picker');
    await b.page.screenshot({ path: path.join(SCREENSHOTS, 'living-picker.png') });
    await picker.getByRole('button', { name: 'React with 🎉' }).click();
    const aliceChip = messageWith(a, 'Release at 4pm').locator('.reaction-chip', { hasText: '🎉' });
    await aliceChip.waitFor({ timeout: LIVE_MS });
    assert.match((await aliceChip.getAttribute('title')) ?? '', /Bob Chen reacted with 🎉/);
    await aliceChip.click();
    await messageWith(b, 'Release at 4pm').locator('.reaction-chip', { hasText: '🎉 2' }).waitFor({ timeout: LIVE_MS });
    assert.equal(await aliceChip.getAttribute('aria-pressed'), 'true');
    // a :shortcode: from the picker's field
    await action(a, messageWith(a, 'Notes are in the wiki'), 'Add reaction');
    await a.page.getByRole('textbox', { name: 'Emoji shortcode' }).fill(':shipit:');
    await a.page.getByRole('textbox', { name: 'Emoji shortcode' }).press('Enter');
    await messageWith(b, 'Notes are in the wiki').locator('.reaction-chip', { hasText: ':shipit: 1' }).waitFor({ timeout: LIVE_MS });
    // the chip toggles back off
    await aliceChip.click();
    await messageWith(b, 'Release at 4pm').locator('.reaction-chip', { hasText: '🎉 1' }).waitFor({ timeout: LIVE_MS });

    // delete with a confirm: a tombstone on both screens
    await a.send('Wrong channel, sorry');
    await b.seeMessage('Wrong channel, sorry', LIVE_MS);
    await action(a, messageWith(a, 'Wrong channel, sorry'), 'Delete message');
    const confirm = a.page.getByRole('dialog', { name: 'Delete message?' });
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await b.page.locator('.message-list .tombstone').waitFor({ timeout: LIVE_MS });
    assert.equal(await b.messageBodies().filter({ hasText: 'Wrong channel' }).count(), 0);

    // a thread: bob replies; alice sees the count on the root and the reply in her open panel
    await action(b, messageWith(b, 'Release at 4pm'), 'Reply in thread');
    const bobThread = b.page.getByRole('complementary', { name: 'Thread' });
    await bobThread.getByRole('combobox', { name: 'Reply in thread' }).fill('I will tag it');
    await bobThread.getByRole('combobox', { name: 'Reply in thread' }).press('Enter');
    await messageWith(a, 'Release at 4pm').getByRole('button', { name: /1 reply/ }).waitFor({ timeout: LIVE_MS });
    assert.equal(await a.messageBodies().filter({ hasText: 'I will tag it' }).count(), 0, 'replies stay out of the main timeline');
    await messageWith(a, 'Release at 4pm').getByRole('button', { name: /1 reply/ }).click();
    const aliceThread = a.page.getByRole('complementary', { name: 'Thread' });
    await aliceThread.locator('.message-body', { hasText: 'I will tag it' }).waitFor({ timeout: 5000 });
    await bobThread.getByRole('combobox', { name: 'Reply in thread' }).fill('Done, v2.1.0');
    await bobThread.getByRole('combobox', { name: 'Reply in thread' }).press('Enter');
    await aliceThread.locator('.message-body', { hasText: 'Done, v2.1.0' }).waitFor({ timeout: LIVE_MS });
    await assertNoSeriousA11yViolations(a.page, 'the thread panel');
    await a.page.screenshot({ path: path.join(SCREENSHOTS, 'living-thread.png') });
    await aliceThread.getByRole('button', { name: 'Close thread' }).click();

    // "Seen by": alice's newest message, read by bob (his screen is open on it)
    await a.send('Anyone around?');
    await b.seeMessage('Anyone around?', LIVE_MS);
    await messageWith(a, 'Anyone around?').locator('xpath=..').getByTestId('seen-by').filter({ hasText: 'Seen by Bob Chen' }).waitFor({ timeout: 2 * LIVE_MS });

    // typing: bob types, alice is told; his message ends it
    await b.composer().fill('Yes, h');
    await a.page.getByTestId('typing').filter({ hasText: 'Bob Chen is typing…' }).waitFor({ timeout: LIVE_MS });
    await b.composer().fill('Yes, here');
    await b.submit();
    await a.seeMessage('Yes, here', LIVE_MS);
    assert.equal(await a.page.getByTestId('typing').textContent(), '');
    await a.page.screenshot({ path: path.join(SCREENSHOTS, 'living-chat.png') });

    // bob goes away (his browser closed); alice edits, deletes and reacts meanwhile
    await bobCtx.close();
    await a.send('Standup moved');
    await action(a, messageWith(a, 'Standup moved'), 'Edit message');
    await a.page.getByRole('textbox', { name: 'Edit message' }).fill('Standup moved to 10:30');
    await a.page.getByRole('textbox', { name: 'Edit message' }).press('Enter');
    await messageWith(a, 'Standup moved to 10:30').locator('.edited-marker').waitFor();
    await action(a, messageWith(a, 'Notes are in the wiki'), 'Add reaction');
    await a.page.getByRole('dialog', { name: 'Add a reaction' }).getByRole('button', { name: 'React with 👍' }).click();
    await messageWith(a, 'Notes are in the wiki').locator('.reaction-chip', { hasText: '👍 1' }).waitFor();
    await action(a, messageWith(a, 'Anyone around?'), 'Delete message');
    await a.page.getByRole('dialog', { name: 'Delete message?' }).getByRole('button', { name: 'Delete', exact: true }).click();
    await a.page.locator('.message-list .tombstone').nth(1).waitFor();

    // bob comes back, on his phone: every change is there, and the actions are in reach by touch
    bobCtx = await browser.newContext(PHONE);
    b = await ChatUi.open(bobCtx, `${webUrl}/login`);
    await b.logIn(bob);
    await b.openConversation(group);
    const title = b.page.locator('.pane-title-text');
    assert.equal(await title.evaluate((el) => (el as unknown as { scrollWidth: number; clientWidth: number }).scrollWidth <= (el as unknown as { clientWidth: number }).clientWidth), true, `the phone header shows the whole name "${group}"`);
    await messageWith(b, 'Standup moved to 10:30').locator('.edited-marker').waitFor();
    await messageWith(b, 'Notes are in the wiki').locator('.reaction-chip', { hasText: '👍 1' }).waitFor();
    assert.equal(await b.messageBodies().filter({ hasText: 'Anyone around?' }).count(), 0);
    assert.equal(await b.page.locator('.message-list .tombstone').count(), 2);
    await action(b, messageWith(b, 'Notes are in the wiki'), 'Edit message');
    await b.page.getByRole('textbox', { name: 'Edit message' }).fill('Notes are in the wiki (updated)');
    await b.page.getByRole('button', { name: 'Save' }).tap();
    await messageWith(a, 'Notes are in the wiki (updated)').locator('.edited-marker').waitFor({ timeout: LIVE_MS });
    await action(b, messageWith(b, 'Standup moved to 10:30'), 'Reply in thread');
    const phoneThread = b.page.getByRole('complementary', { name: 'Thread' });
    await phoneThread.getByRole('combobox', { name: 'Reply in thread' }).waitFor();
    await b.page.screenshot({ path: path.join(SCREENSHOTS, 'living-thread-phone.png') });
    await phoneThread.getByRole('button', { name: 'Close thread' }).tap();
    await messageWith(b, 'Standup moved to 10:30').tap({ position: { x: 60, y: 8 } });
    await b.page.screenshot({ path: path.join(SCREENSHOTS, 'living-phone.png') });
    assert.deepEqual(a.dialogs.concat(b.dialogs), [], 'no alert/confirm/prompt ran');
    await aliceCtx.close();
    await bobCtx.close();
  });

  test('a reconnect catches up on changes made while the socket was down (changes?after=)', async () => {
    const { browser, webUrl } = platform;
    const carol = person('Carol', 'Diaz');
    const dan = person('Dan', 'Ito');
    const group = `Reconnect ${randomBytes(2).toString('hex')}`;
    const cCtx = await browser.newContext(DESKTOP);
    const dCtx = await browser.newContext(DESKTOP);
    const c = await ChatUi.open(cCtx, `${webUrl}/register`);
    await c.signUp(carol);
    const d = await ChatUi.open(dCtx, `${webUrl}/register`);
    await d.signUp(dan);
    await c.createGroup(group, 'private', dan.username);
    await d.openConversation(group);
    await c.send('Budget draft v1');
    await d.seeMessage('Budget draft v1', LIVE_MS);

    // dan's network drops (the page stays open); carol edits and reacts meanwhile
    await dCtx.setOffline(true);
    await d.page.locator('.connection-banner').waitFor({ timeout: 15_000 });
    await action(c, messageWith(c, 'Budget draft v1'), 'Edit message');
    await c.page.getByRole('textbox', { name: 'Edit message' }).fill('Budget draft v2');
    await c.page.getByRole('textbox', { name: 'Edit message' }).press('Enter');
    await action(c, messageWith(c, 'Budget draft v2'), 'Add reaction');
    await c.page.getByRole('dialog', { name: 'Add a reaction' }).getByRole('button', { name: 'React with 🚀' }).click();
    await messageWith(c, 'Budget draft v2').locator('.reaction-chip', { hasText: '🚀 1' }).waitFor();

    await dCtx.setOffline(false);
    await messageWith(d, 'Budget draft v2').locator('.reaction-chip', { hasText: '🚀 1' }).waitFor({ timeout: 20_000 });
    assert.equal(await d.messageBodies().filter({ hasText: 'Budget draft v1' }).count(), 0);
    await cCtx.close();
    await dCtx.close();
  });
});
