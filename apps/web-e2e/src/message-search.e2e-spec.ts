import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { BrowserContextOptions } from 'playwright-core';
import type { TConversation } from '@chatbox/contracts';
import { assertNoSeriousA11yViolations } from './accessibility';
import { ChatUi } from './chat-ui.page';
import { person, registered } from './people.fixture';
import { Platform, SCREENSHOTS, startPlatform } from './platform.fixture';

const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

const MESSAGES = 150;
/** The hit: far enough back that the newest page does not hold it. */
const HIT_SEQ = 30;

describe('message search in Chromium', { timeout: 240_000 }, () => {
  let platform: Platform;
  before(async () => (platform = await startPlatform()));
  after(() => platform?.stop());

  for (const [width, options] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    test(`${width}: a search finds an old message, marks the words; a click opens it in its conversation, older and newer load around it`, async () => {
      const { browser, webUrl } = platform;
      const alice = person('Alice', 'Search');
      const bob = person('Bob', 'Search');
      const group = `Archive ${randomBytes(2).toString('hex')}`;
      const a = await registered(webUrl, alice);
      const { id: bobId } = await registered(webUrl, bob);
      const conv = (await a.api('POST', '/groups', { name: group, memberIds: [bobId] })) as TConversation;
      const word = `кванто${randomBytes(3).toString('hex')}вый`;
      for (let seq = 1; seq <= MESSAGES; seq++) {
        const body = seq === HIT_SEQ ? `The <b>${word}</b> plan for the Crème café` : `filler ${seq}`;
        await a.api('POST', `/conversations/${conv.id}/messages`, { clientMsgId: `m-${seq}`, body });
      }

      const ui = await ChatUi.open(await browser.newContext(options), `${webUrl}/login`);
      await ui.logIn(bob);
      const box = ui.page.getByRole('searchbox', { name: 'Search messages' });
      await box.fill(`${word.slice(0, 6).toUpperCase()}* creme`);
      const hit = ui.page.getByTestId('search-hit');
      await hit.waitFor();
      assert.equal(await hit.count(), 1);
      assert.deepEqual(await hit.locator('mark').allTextContents(), [word, 'Crème']);
      assert.match((await hit.textContent()) ?? '', /The <b>.*<\/b> plan/, 'markup in a message shows as text');
      assert.equal(await hit.locator('b').count(), 0);
      assert.match((await hit.textContent()) ?? '', new RegExp(group));
      await assertNoSeriousA11yViolations(ui.page, `search results (${width})`);
      await ui.page.screenshot({ path: path.join(SCREENSHOTS, `search-results-${width}.png`) });

      if (await ui.isTouch()) await hit.tap();
      else await hit.click();
      await ui.page.getByRole('heading', { level: 1, name: group }).waitFor();
      const list = ui.page.locator('.message-list');
      const target = list.locator('.search-target');
      await target.waitFor();
      assert.match((await target.textContent()) ?? '', new RegExp(word));
      const [shown, view] = [await target.boundingBox(), await list.boundingBox()];
      assert.ok(shown && view && shown.y >= view.y && shown.y + shown.height <= view.y + view.height, 'the message is in view');
      assert.equal(await ui.messageBodies().filter({ hasText: `filler ${MESSAGES}` }).count(), 0, 'a window around the hit, not the newest page');
      await ui.page.getByRole('button', { name: /Jump to the newest/ }).waitFor();
      await assertNoSeriousA11yViolations(ui.page, `a message opened from search (${width})`);
      await ui.page.screenshot({ path: path.join(SCREENSHOTS, `search-jump-${width}.png`) });

      // back through history: older pages load at the top, down to the first message
      const scrollTo = (where: 'top' | 'bottom') => list.evaluate((el, w) => (el.scrollTop = w === 'top' ? 0 : el.scrollHeight), where);
      for (let i = 0; i < 5 && !(await ui.messageBodies().filter({ hasText: /^filler 1$/ }).count()); i++) {
        await scrollTo('top');
        await ui.page.waitForTimeout(300);
      }
      await ui.page.locator('.list-note', { hasText: 'This is the beginning of the conversation.' }).waitFor();
      // and forward: newer pages load at the bottom until the newest, then the jump button goes
      for (let i = 0; i < 10 && !(await ui.messageBodies().filter({ hasText: `filler ${MESSAGES}` }).count()); i++) {
        await scrollTo('bottom');
        await ui.page.waitForTimeout(300);
      }
      await ui.seeMessage(`filler ${MESSAGES}`, 5000);
      await ui.page.getByRole('button', { name: /Jump to the newest/ }).waitFor({ state: 'detached' });
      const seqs = await ui.messageBodies().allTextContents();
      assert.equal(seqs.length, MESSAGES, 'every message once, none missing between the pages');

      // live again: a new message arrives at the bottom
      await a.api('POST', `/conversations/${conv.id}/messages`, { clientMsgId: 'live', body: 'after the search' });
      await ui.seeMessage('after the search', 5000);
      assert.deepEqual(ui.dialogs, []);
    });
  }
});
