import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { BrowserContextOptions, Page } from 'playwright-core';
import type { TConversation, TMessage } from '@chatbox/contracts';
import { assertNoSeriousA11yViolations } from './accessibility';
import { ChatUi } from './chat-ui.page';
import { person, registered } from './people.fixture';
import { Platform, SCREENSHOTS, startPlatform } from './platform.fixture';

const WIDTHS: Array<{ name: 'desktop' | 'phone'; options: BrowserContextOptions }> = [
  { name: 'desktop', options: { viewport: { width: 1280, height: 800 } } },
  { name: 'phone', options: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
];

const LIVE_MS = 5000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens the profile page from "Profile" beside "Log out" (the list must be on screen: a phone shows it without a conversation). */
async function openSettings(page: Page) {
  await page.getByRole('link', { name: 'Profile', exact: true }).click();
  await page.waitForURL('**/profile');
  const box = page.getByRole('checkbox', { name: 'Share read receipts' });
  await page.locator('input[type="checkbox"]:not([disabled])').waitFor(); // loaded
  return { box };
}

/** Back from the profile page to the chat, on a phone to the list of conversations. */
async function backToChat(page: Page) {
  await page.getByRole('link', { name: 'Back to the chat' }).click();
  await page.getByRole('navigation', { name: 'Conversations' }).waitFor();
  const back = page.getByRole('button', { name: 'Back to conversations' });
  if (await back.isVisible()) await back.click();
}

/** Flips the setting with the keyboard alone (Space on the focused box) and waits until it is saved. */
async function setSharing(page: Page, on: boolean): Promise<void> {
  const { box } = await openSettings(page);
  await box.focus();
  if ((await box.isChecked()) !== on) await page.keyboard.press('Space');
  await page.locator('input[type="checkbox"]:not([disabled])').waitFor(); // saved
  assert.equal(await box.isChecked(), on);
  await backToChat(page);
}

/** Issue 13, web leftovers: the read-receipt sharing toggle, and a thread whose root is older than the loaded pages. */
describe('receipt sharing setting and old threads, in Chromium', { timeout: 300_000 }, () => {
  let platform: Platform;
  before(async () => (platform = await startPlatform()));
  after(() => platform?.stop());

  for (const width of WIDTHS) {
    test(`${width.name}: turning "Share read receipts" off hides "Seen by" from the others; the choice is kept; on again shows it`, async () => {
      const { browser, webUrl } = platform;
      const [ann, bob] = [person('Ann', 'Writer'), person('Bob', 'Reader')];
      const [annR, bobR] = [await registered(webUrl, ann), await registered(webUrl, bob)];
      const name = `Receipts ${randomBytes(2).toString('hex')}`;
      await annR.api('POST', '/groups', { name, memberIds: [bobR.id] });
      const annCtx = await browser.newContext(width.options);
      const bobCtx = await browser.newContext(width.options);
      const a = await ChatUi.loggedIn(annCtx, webUrl, ann);
      const b = await ChatUi.loggedIn(bobCtx, webUrl, bob);

      const { box } = await openSettings(b.page);
      assert.equal(await box.isChecked(), true, 'shared by default');
      await backToChat(b.page);
      await setSharing(b.page, false);
      const kept = await openSettings(b.page);
      await b.page.reload();
      await b.page.locator('input[type="checkbox"]:not([disabled])').waitFor();
      assert.equal(await kept.box.isChecked(), false, 'the choice is kept (stored on the server)');
      await backToChat(b.page);

      await a.openConversation(name);
      await b.openConversation(name);
      await a.send('Did you read this?');
      await b.seeMessage('Did you read this?', LIVE_MS);
      await sleep(2500); // Bob's read pointer moved (he is looking at it); a receipt would be here by now
      assert.equal(await a.page.getByTestId('seen-by').count(), 0, 'no "Seen by" for a reader who does not share');

      if (width.name === 'phone') await b.page.getByRole('button', { name: 'Back to conversations' }).click();
      await setSharing(b.page, true);
      await b.openConversation(name);
      await a.send('And this one?');
      await b.seeMessage('And this one?', LIVE_MS);
      await a.page.getByTestId('seen-by').filter({ hasText: `Seen by ${bob.displayName}` }).waitFor({ timeout: LIVE_MS });
      await annCtx.close();
      await bobCtx.close();
    });

    test(`${width.name}: a thread whose root is older than the loaded pages opens again after a reload with its root, and stays live`, async () => {
      const { browser, webUrl } = platform;
      const [ann, bob] = [person('Ann', 'Asker'), person('Bob', 'Answerer')];
      const [annR, bobR] = [await registered(webUrl, ann), await registered(webUrl, bob)];
      const name = `Old thread ${randomBytes(2).toString('hex')}`;
      const group = (await annR.api('POST', '/groups', { name, memberIds: [bobR.id] })) as TConversation;
      const post = (api: typeof annR.api, body: string, threadRootId?: string) =>
        api('POST', `/conversations/${group.id}/messages`, { clientMsgId: randomBytes(8).toString('hex'), body, ...(threadRootId ? { threadRootId } : {}) }) as Promise<TMessage>;
      const root = await post(annR.api, 'Old question: where are the keys?');
      for (let i = 1; i <= 60; i++) await post(i % 2 ? bobR.api : annR.api, `Filler ${i}`);
      const last = await post(bobR.api, 'In the drawer', root.id);
      // Ann has read it all: the conversation opens at its newest message, not at a first unread one
      await annR.api('POST', `/conversations/${group.id}/read`, { seq: last.seq });

      const ctx = await browser.newContext(width.options);
      const a = await ChatUi.loggedIn(ctx, webUrl, ann);
      await a.openConversation(name);
      const list = a.page.locator('.message-list');
      const rootInList = list.locator('.message-body', { hasText: 'Old question' });
      await a.seeMessage('Filler 60', LIVE_MS);
      assert.equal(await rootInList.count(), 0, 'the root is older than the first page');
      // scrolling up loads the older page; the root's "1 reply" opens the thread
      for (let i = 0; i < 10 && (await rootInList.count()) === 0; i++) {
        await list.evaluate((el) => ((el as unknown as { scrollTop: number }).scrollTop = 0));
        await sleep(500);
      }
      const rootArticle = list.locator('[data-testid="message"]').filter({ has: a.page.locator('.message-body', { hasText: 'Old question' }) });
      await rootArticle.getByRole('button', { name: /1 reply/ }).click();
      const panel = a.page.getByRole('complementary', { name: 'Thread' });
      await panel.locator('.message-body', { hasText: 'In the drawer' }).waitFor({ timeout: LIVE_MS });
      await panel.locator('.message-body', { hasText: 'Old question' }).waitFor();

      // a reload: only the newest page loads, and the thread opens again, root included
      await a.page.reload();
      await a.page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 10_000 });
      await panel.locator('.message-body', { hasText: 'In the drawer' }).waitFor({ timeout: LIVE_MS });
      await panel.locator('.message-body', { hasText: 'Old question: where are the keys?' }).waitFor({ timeout: LIVE_MS });
      assert.equal(await rootInList.count(), 0, 'the root is still outside the loaded pages of the conversation');
      await post(bobR.api, 'Found them, thanks', root.id);
      await panel.locator('.message-body', { hasText: 'Found them, thanks' }).waitFor({ timeout: LIVE_MS });
      await panel.getByRole('separator').filter({ hasText: '2 replies' }).waitFor({ timeout: LIVE_MS });
      await assertNoSeriousA11yViolations(a.page, `${width.name}: thread panel with an old root`);
      await a.page.screenshot({ path: path.join(SCREENSHOTS, `old-thread-${width.name}.png`) });
      await panel.getByRole('button', { name: 'Close thread' }).click();
      await a.page.reload();
      await a.page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 10_000 });
      await sleep(1000);
      assert.equal(await panel.count(), 0, 'a closed thread stays closed');
      await ctx.close();
    });
  }
});
