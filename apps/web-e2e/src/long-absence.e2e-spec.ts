import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { BrowserContextOptions, Page } from 'playwright-core';
import type { TConversation, TMessage } from '@chatbox/contracts';
import { assertNoSeriousA11yViolations } from './accessibility';
import { ChatUi } from './chat-ui.page';
import { ApiSession, person, registered } from './people.fixture';
import { Platform, SCREENSHOTS, startPlatform } from './platform.fixture';

const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** Sent while the reader is away: far more than a reconnect should replay. */
const MISSED = 600;

/** What the page asked for from one conversation's history and change stream, and how many messages came back. */
function countFetches(page: Page, conversationId: string) {
  const seen = { history: 0, changes: 0, messages: 0, asked: [] as string[] };
  page.on('response', async (res) => {
    const url = new URL(res.url());
    const kind = url.pathname === `/api/conversations/${conversationId}/messages` ? 'history' : url.pathname === `/api/conversations/${conversationId}/changes` ? 'changes' : null;
    if (!kind || res.request().method() !== 'GET') return;
    seen[kind]++;
    seen.asked.push(`${kind}${url.search}`);
    seen.messages += ((await res.json().catch(() => ({ items: [] }))) as { items: unknown[] }).items.length;
  });
  return { seen, reset: () => Object.assign(seen, { history: 0, changes: 0, messages: 0, asked: [] }) };
}

/** Sends `count` messages over REST, a few at a time; the last one alone, after every other. */
async function sendMany(api: ApiSession, conversationId: string, prefix: string, count: number, last: string): Promise<void> {
  for (let i = 0; i < count - 1; i += 20) {
    const batch = Array.from({ length: Math.min(20, count - 1 - i) }, (_, k) => i + k);
    await Promise.all(batch.map((n) => api('POST', `/conversations/${conversationId}/messages`, { clientMsgId: `${prefix}-${n}`, body: `${prefix} ${n}` })));
  }
  await api('POST', `/conversations/${conversationId}/messages`, { clientMsgId: `${prefix}-last`, body: last });
}

/**
 * Coming back after a long absence (the page stayed open, the network went away): the newest
 * messages show at once instead of every missed change being replayed first; older ones load
 * on scrolling up. A reader who was far back in the history keeps their place, sees what
 * changed there, and reaches the newest by a "Jump to the newest" button, from the keyboard too.
 */
describe('coming back after a long absence, in Chromium', { timeout: 300_000 }, () => {
  let platform: Platform;
  before(async () => (platform = await startPlatform()));
  after(() => platform?.stop());

  for (const [width, options] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    test(`${width}: the newest page, not ${MISSED} replayed messages; older on scrolling up; far back, the place is kept and "Jump to the newest" works by keyboard; a reopened page starts at the newest`, async () => {
      const { browser, webUrl } = platform;
      const alice = person('Alice', 'Away');
      const bob = person('Bob', 'Away');
      const group = `Busy ${randomBytes(2).toString('hex')}`;
      const a = await registered(webUrl, alice);
      const { id: bobId } = await registered(webUrl, bob);
      const conv = (await a.api('POST', '/groups', { name: group, memberIds: [bobId] })) as TConversation;
      await sendMany(a.api, conv.id, 'before', 60, 'before the absence');

      const ctx = await browser.newContext(options);
      const ui = await ChatUi.loggedIn(ctx, webUrl, bob);
      const fetches = countFetches(ui.page, conv.id);
      await ui.openConversation(group);
      await ui.seeMessage('before the absence', 5000);
      const list = ui.page.locator('.message-list');
      const scrollTo = (where: 'top' | 'bottom') => list.evaluate((el, w) => (el.scrollTop = w === 'top' ? 0 : el.scrollHeight), where);
      ui.page.on('pageerror', (err) => console.log(`[long-absence ${width}] page error: ${err.message}`));

      // 1. away at the newest messages (opened at the "New messages" line, then down to the newest):
      // alice writes 600 more, and a direct message
      await scrollTo('bottom');
      await ui.page.waitForTimeout(300);
      await ctx.setOffline(true);
      await ui.page.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor({ timeout: 15_000 });
      await sendMany(a.api, conv.id, 'missed', MISSED, 'the newest after the absence');
      const direct = (await a.api('POST', '/conversations/direct', { userId: bobId })) as TConversation;
      await a.api('POST', `/conversations/${direct.id}/messages`, { clientMsgId: 'dm', body: 'ping while you were away' });
      fetches.reset();
      const back = Date.now();
      await ctx.setOffline(false);
      await ui.seeMessage('the newest after the absence', 20_000).catch(async (err: unknown) => {
        await ui.page.screenshot({ path: path.join(SCREENSHOTS, `long-absence-failed-${width}.png`) });
        throw new Error(`${(err as Error).message}; fetched ${JSON.stringify(fetches.seen)}`);
      });
      const shownAfterMs = Date.now() - back;
      await ui.page.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor({ state: 'detached' });
      await ui.page.waitForTimeout(500); // anything else the reconnect would fetch
      const { history, changes, messages } = fetches.seen;
      assert.ok(messages <= 100 && history <= 2 && changes <= 1, `the newest page only, not ${MISSED} missed messages: ${JSON.stringify(fetches.seen)}`);
      assert.equal(await ui.unreadBadge(alice.displayName), '1', 'the direct message counts as unread');
      assert.equal(await ui.conversationButton(group).getByTestId('unread-badge').count(), 0, 'the conversation on screen is read');
      const held = await ui.messageBodies().count();
      assert.ok(held <= 60, `a page, not the stale window plus the missed messages: ${held} ${JSON.stringify(fetches.seen)}`);
      assert.equal(await ui.messageBodies().filter({ hasText: /^before / }).count(), 0, 'the stale window was dropped');
      await ui.page.screenshot({ path: path.join(SCREENSHOTS, `long-absence-newest-${width}.png`) });
      console.log(`[long-absence ${width}] newest shown ${shownAfterMs} ms after reconnecting; fetched ${JSON.stringify(fetches.seen)}`);

      // older pages load on scrolling up, each message once, back to where the unread ones start
      assert.equal(await ui.page.getByRole('separator', { name: 'New messages' }).count(), 0, 'no "New messages" line at the top of the newest page: they start far above');
      for (let i = 0; i < 25 && (await ui.messageBodies().filter({ hasText: 'before the absence' }).count()) === 0; i++) {
        await scrollTo('top');
        await ui.page.waitForTimeout(300);
      }
      const bodies = await ui.messageBodies().allTextContents();
      assert.equal(bodies.filter((b) => b.startsWith('missed ')).length, MISSED - 1, 'every missed message, once');
      assert.equal(new Set(bodies).size, bodies.length, 'no message twice');
      const aroundLine = await list.evaluate((el) => {
        const row = el.querySelector('.new-messages')?.closest('[data-message-id]');
        return [row?.previousElementSibling?.querySelector('.message-body')?.textContent, row?.querySelector('.message-body')?.textContent];
      });
      assert.equal(aroundLine[0], 'before the absence', `the "New messages" line where the unread ones start: ${JSON.stringify(aroundLine)}`);
      assert.match(aroundLine[1] ?? '', /^missed \d+$/);

      // 2. away while reading far back: the place is kept, what changed there shows
      for (let i = 0; i < 5 && !(await ui.page.locator('.list-note', { hasText: 'This is the beginning of the conversation.' }).count()); i++) {
        await scrollTo('top');
        await ui.page.waitForTimeout(300);
      }
      await scrollTo('top'); // nothing older to load now: the view stays at the first messages
      await ui.page.waitForTimeout(300);
      const firstId = await list.locator('[data-message-id]').first().getAttribute('data-message-id');
      const firstBody = (await list.locator('[data-message-id]').first().locator('.message-body').textContent()) ?? '';
      const secondId = await list.locator('[data-message-id]').nth(1).getAttribute('data-message-id');
      assert.ok(firstId && secondId);
      console.log(`[long-absence ${width}] far up at ${JSON.stringify(await list.evaluate((el) => [el.scrollTop, el.scrollHeight]))}, first ${firstBody}`);
      await ctx.setOffline(true);
      await ui.page.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor({ timeout: 15_000 });
      const edited = (await a.api('PATCH', `/conversations/${conv.id}/messages/${firstId}`, { body: `${firstBody} (edited while away)` })) as TMessage;
      await a.api('DELETE', `/conversations/${conv.id}/messages/${secondId}`);
      await sendMany(a.api, conv.id, 'again', 400, 'the newest after the second absence');
      fetches.reset();
      await ctx.setOffline(false);
      await ui.page.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor({ state: 'detached', timeout: 20_000 });
      await list.locator(`[data-message-id="${firstId}"] .message-body`, { hasText: edited.body }).waitFor({ timeout: 10_000 });
      await list.locator(`[data-message-id="${secondId}"] .tombstone`).waitFor();
      const jump = ui.page.getByRole('button', { name: /Jump to the newest/ });
      await jump.waitFor();
      const [kept, view] = [await list.locator(`[data-message-id="${firstId}"]`).boundingBox(), await list.boundingBox()];
      if (!(kept && view && kept.y + kept.height > view.y && kept.y < view.y + view.height)) await ui.page.screenshot({ path: path.join(SCREENSHOTS, `long-absence-failed-${width}.png`) });
      assert.ok(kept && view && kept.y + kept.height > view.y && kept.y < view.y + view.height, `the reader is still where they were: ${JSON.stringify([kept, view, await list.evaluate((el) => [el.scrollTop, el.scrollHeight])])}`);
      assert.equal(await ui.messageBodies().filter({ hasText: 'the newest after the second absence' }).count(), 0);
      assert.ok(fetches.seen.messages <= bodies.length + 100, `the held messages refreshed, the missed ones not replayed: ${JSON.stringify(fetches.seen)}`);
      await assertNoSeriousA11yViolations(ui.page, `back after a long absence, far up (${width})`);
      await ui.page.screenshot({ path: path.join(SCREENSHOTS, `long-absence-kept-place-${width}.png`) });

      // the keyboard: from the message list, Shift+Tab reaches the button, Enter loads the newest page
      await list.focus();
      await ui.page.keyboard.press('Shift+Tab');
      assert.equal(await jump.evaluate((el) => el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement), true, 'Shift+Tab from the messages reaches "Jump to the newest"');
      await ui.page.keyboard.press('Enter');
      await ui.seeMessage('the newest after the second absence', 10_000);
      await jump.waitFor({ state: 'detached' });
      const newest = await ui.messageBodies().allTextContents();
      assert.ok(newest.length <= 60 && new Set(newest).size === newest.length, `the newest page, each message once: ${newest.length}`);

      // live again at the bottom
      await a.api('POST', `/conversations/${conv.id}/messages`, { clientMsgId: 'live', body: 'and live again' });
      await ui.seeMessage('and live again', 5000);
      assert.deepEqual(ui.dialogs, []);

      // 3. the page closed instead: opened again later, the conversation starts at its newest page
      await ui.page.close();
      await sendMany(a.api, conv.id, 'closed', 350, 'the newest while the page was closed');
      const page = await ctx.newPage();
      const reopened = countFetches(page, conv.id);
      await page.goto(`${webUrl}/chat`);
      await page.getByRole('heading', { level: 1, name: group }).waitFor({ timeout: 10_000 }); // the last conversation reopens
      await page.locator('[data-testid="message"][data-status="sent"] .message-body', { hasText: 'the newest while the page was closed' }).waitFor({ timeout: 10_000 });
      await page.waitForTimeout(500);
      assert.ok(reopened.seen.messages <= 100 && reopened.seen.changes <= 1, `reopened: the newest page only: ${JSON.stringify(reopened.seen)}`);
      await ctx.close();
    });
  }
});
