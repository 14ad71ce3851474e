import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { BrowserContextOptions, Page } from 'playwright-core';
import type { TConversation } from '@chatbox/contracts';
import { assertNoSeriousA11yViolations } from './accessibility';
import { ChatUi } from './chat-ui.page';
import { person, registered } from './people.fixture';
import { Platform, SCREENSHOTS, startPlatform } from './platform.fixture';

const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };

/**
 * Runs in every page before its scripts: records the desktop notifications the app shows (and
 * keeps them, to click one), counts permission requests, and lets the test hide the tab
 * (`__setHidden`): headless Chromium keeps every tab "visible", so the Page Visibility API is
 * the one thing simulated here. Plain JavaScript: it runs in the page, not in this compiled file.
 */
const PAGE_PROBE = `
  (() => {
    const Real = window.Notification;
    window.__notes = [];
    window.__asked = 0;
    class Recording extends Real {
      constructor(title, options) {
        super(title, options);
        window.__notes.push({ title, body: options && options.body, notification: this });
      }
    }
    Object.defineProperty(Recording, 'permission', { get: () => Real.permission });
    Recording.requestPermission = (...args) => { window.__asked += 1; return Real.requestPermission(...args); };
    window.Notification = Recording;
    let hidden = false;
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
    window.__setHidden = (value) => { hidden = value; document.dispatchEvent(new Event('visibilitychange')); };
  })();
`;

type Note = { title: string; body: string };
/** The notifications shown so far (run in the page: the test compiles without the DOM library). */
const notesOf = (page: Page): Promise<Note[]> =>
  page.evaluate(() => (globalThis as unknown as { __notes: Note[] }).__notes.map((n) => ({ title: n.title, body: n.body })));
const setHidden = (page: Page, hidden: boolean) => page.evaluate((h) => (globalThis as unknown as { __setHidden: (v: boolean) => void }).__setHidden(h), hidden);

async function openChat(platform: Platform, p: ReturnType<typeof person>, options: BrowserContextOptions): Promise<ChatUi> {
  const context = await platform.browser.newContext(options);
  await context.addInitScript(PAGE_PROBE);
  const ui = await ChatUi.open(context, `${platform.webUrl}/login`);
  await ui.logIn(p);
  return ui;
}

describe('mentions, notifications and formatting in Chromium', { timeout: 180_000 }, () => {
  let platform: Platform;
  before(async () => (platform = await startPlatform()));
  after(() => platform?.stop());

  test('alice completes a mention; bob, his tab hidden, gets a desktop notification and the mention badge; clicking it opens the message', async () => {
    const alice = person('Alice', 'Martin');
    const bob = person('Bob', 'Chen');
    const group = `Launch ${randomBytes(2).toString('hex')}`;
    const a = await registered(platform.webUrl, alice);
    const b = await registered(platform.webUrl, bob);
    await a.api('POST', '/groups', { name: group, memberIds: [b.id] });

    // alice never granted anything: nothing is asked at load; the sidebar offers it
    const aliceUi = await openChat(platform, alice, DESKTOP);
    const offer = aliceUi.page.getByRole('button', { name: 'Turn on desktop notifications' });
    await offer.waitFor();
    assert.equal(await aliceUi.page.evaluate(() => (globalThis as unknown as { __asked: number }).__asked), 0, 'no permission prompt at page load');
    // bob's browser granted notifications (as a person would from that button)
    const bobUi = await openChat(platform, bob, { ...DESKTOP, permissions: ['notifications'] });
    assert.equal(await bobUi.page.getByRole('button', { name: 'Turn on desktop notifications' }).count(), 0);
    await bobUi.openConversation(group);
    // bob wants only mentions from this group
    const level = bobUi.page.getByRole('combobox', { name: 'Desktop notifications for this conversation' });
    assert.equal(await level.inputValue(), 'all', 'a group of two: every message by default');
    await Promise.all([
      bobUi.page.waitForResponse((r) => r.url().endsWith('/notify') && r.status() === 200),
      level.selectOption('mentions'),
    ]);
    await bobUi.openConversation('all');
    await setHidden(bobUi.page, true);

    await aliceUi.openConversation(group);
    await aliceUi.send('a plain line, no ping');
    // the keyboard: "@bo" lists bob, Enter takes him
    const box = aliceUi.composer();
    await box.pressSequentially('Hey @bo');
    const list = aliceUi.page.getByRole('listbox', { name: 'People to mention' });
    await list.waitFor();
    assert.equal(await box.getAttribute('aria-expanded'), 'true');
    assert.equal(await box.getAttribute('aria-controls'), await list.getAttribute('id'));
    const option = list.getByRole('option', { name: /Bob Chen/ });
    assert.equal(await option.getAttribute('aria-selected'), 'true');
    assert.equal(await box.getAttribute('aria-activedescendant'), await option.getAttribute('id'));
    await assertNoSeriousA11yViolations(aliceUi.page, 'the mention suggestions');
    await aliceUi.page.screenshot({ path: path.join(SCREENSHOTS, 'mention-autocomplete.png') });
    await box.press('Enter');
    assert.equal(await box.inputValue(), `Hey @${bob.username} `);
    assert.equal(await list.count(), 0, 'the list closes on a choice');
    // Escape closes a list without choosing; the mouse picks an emoji
    await box.pressSequentially(':tad');
    await aliceUi.page.getByRole('listbox', { name: 'Emoji' }).waitFor();
    await box.press('Escape');
    assert.equal(await aliceUi.page.getByRole('listbox').count(), 0);
    await box.pressSequentially(' please review :rock');
    await aliceUi.page.getByRole('listbox', { name: 'Emoji' }).getByRole('option', { name: /:rocket:/ }).click();
    assert.equal(await box.inputValue(), `Hey @${bob.username} :tad please review 🚀 `);
    await box.press('Enter');
    await aliceUi.seeMessage('please review', 5000);
    assert.equal(await aliceUi.messageBodies().last().locator('.mention').textContent(), `@${bob.username}`);

    // bob: one notification (the mention, not the plain line: his level is "mentions"), and the badge
    await bobUi.page.waitForFunction(() => (globalThis as unknown as { __notes: unknown[] }).__notes.length > 0, undefined, { timeout: 5000 });
    const notes = await notesOf(bobUi.page);
    assert.deepEqual(notes, [{ title: `Alice Martin in ${group}`, body: `Hey @${bob.username} :tad please review 🚀` }]);
    const badge = bobUi.conversationButton(group).getByTestId('mention-badge');
    assert.equal(await badge.textContent({ timeout: 5000 }), '@1');
    assert.equal(await badge.getAttribute('aria-label'), '1 mention');
    assert.equal(await bobUi.unreadBadge(group), '2');

    // the click: the tab comes forward (visible again), the conversation opens at that message, it is read
    await bobUi.page.evaluate(() => {
      const g = globalThis as unknown as { __setHidden: (v: boolean) => void; __notes: Array<{ notification: { onclick: () => void } }> };
      g.__setHidden(false);
      g.__notes[0].notification.onclick();
    });
    await bobUi.page.getByRole('heading', { level: 1, name: group }).waitFor();
    await bobUi.page.locator('.search-target [data-testid="message"]', { hasText: 'please review' }).waitFor();
    await badge.waitFor({ state: 'detached', timeout: 5000 });
    assert.equal(await bobUi.page.locator('.mention.mention-me').last().textContent(), `@${bob.username}`);
    await bobUi.page.screenshot({ path: path.join(SCREENSHOTS, 'mention-opened.png') });

    // alice turns notifications on from the button: asked now, from her click
    await offer.click();
    await aliceUi.page.waitForFunction(() => (globalThis as unknown as { __asked: number }).__asked === 1);
    assert.deepEqual([aliceUi.dialogs, bobUi.dialogs], [[], []]);
  });

  test('a new user appears live in the people list of someone already there', async () => {
    const dana = person('Dana', 'Ruiz');
    await registered(platform.webUrl, dana);
    const ui = await openChat(platform, dana, DESKTOP);
    await ui.openConversation('all');
    const members = async () => Number(/(\d+) members?/.exec((await ui.page.locator('.pane-subtitle').first().textContent()) ?? '')?.[1]);
    const before = await members();
    const erin = person('Erin', 'Novak');
    await registered(platform.webUrl, erin);
    const newPeople = ui.page.getByRole('region', { name: 'New people' });
    await newPeople.getByRole('button', { name: 'Message Erin Novak, new here' }).waitFor({ timeout: 5000 });
    // and `all`, which every newcomer joins, counts them
    assert.equal(await members(), before + 1);
    await newPeople.getByRole('button', { name: 'Message Erin Novak, new here' }).click();
    await ui.page.getByRole('heading', { level: 1, name: 'Erin Novak' }).waitFor();
  });

  test('Markdown renders; an XSS corpus stays inert text: no dialog, no script, no javascript: link', async () => {
    const frank = person('Frank', 'Olsen');
    const grace = person('Grace', 'Kim');
    const f = await registered(platform.webUrl, frank);
    const g = await registered(platform.webUrl, grace);
    const room = (await f.api('POST', '/groups', { name: `Format ${randomBytes(2).toString('hex')}`, memberIds: [g.id] })) as TConversation;
    const send = (body: string) => f.api('POST', `/conversations/${room.id}/messages`, { clientMsgId: randomBytes(8).toString('hex'), body });

    await send('**bold** _italic_ ~~gone~~ `inline()` :tada:\n> a quote\n\n- one\n- two\n\n1. first\n\n[the site](https://example.com/docs) and https://example.org\n\n```\nat main (app.ts:1)\n    at run (x.ts:2)\n```');
    const XSS = [
      '<script>window.__xss = 1; alert(1)</script>',
      '<img src=x onerror="window.__xss=2;alert(2)">',
      '<svg onload=alert(3)>',
      '<iframe src="javascript:alert(4)"></iframe>',
      '[click](javascript:alert(5))',
      '[click](JaVaScRiPt:alert(6))',
      '[click](java\tscript:alert(7))',
      '[click](&#106;avascript:alert(8))',
      '[click](javascript&colon;alert(9))',
      '<javascript:alert(10)>',
      '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMSk8L3NjcmlwdD4=)',
      '[x](vbscript:msgbox(12))',
      '![img](javascript:alert(13))',
      '<a href="javascript:alert(14)">link</a>',
      '<b onmouseover=alert(15)>hover</b>',
      '"><script>alert(16)</script>',
      "'><img src=x onerror=alert(17)>",
      '<details open ontoggle=alert(18)>',
      '<body onload=alert(19)>',
      '<math><mtext><table><mglyph><style><img src=x onerror=alert(20)>',
      '[a](https://ok.example/"onmouseover="alert(21))',
      '`<script>alert(22)</script>`',
      '```\n<script>alert(23)</script>\n```',
      '<style>body{display:none}</style>',
      '<object data="javascript:alert(25)">',
      '[link](  javascript:alert(26)  )',
      '<form action="javascript:alert(27)"><button>go</button></form>',
    ];
    for (const payload of XSS) await send(payload);
    await send('end of the corpus');

    const ui = await openChat(platform, grace, DESKTOP);
    await ui.openConversation(room.name);
    await ui.seeMessage('end of the corpus', 5000);
    await ui.page.waitForTimeout(300); // a script or handler that were to run would have by now
    const body = ui.page.locator('.message-list');
    const first = ui.messageBodies().filter({ hasText: 'bold' }).first();
    assert.equal(await first.locator('strong').textContent(), 'bold');
    assert.equal(await first.locator('em').textContent(), 'italic');
    assert.equal(await first.locator('s').textContent(), 'gone');
    assert.equal(await first.locator('code').first().textContent(), 'inline()');
    assert.match((await first.textContent()) ?? '', /🎉/);
    assert.equal(await first.locator('blockquote').textContent(), 'a quote');
    assert.equal(await first.locator('ul > li').count(), 2);
    assert.equal(await first.locator('ol > li').count(), 1);
    const link = first.getByRole('link', { name: 'the site' });
    assert.equal(await link.getAttribute('href'), 'https://example.com/docs');
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.match((await link.getAttribute('rel')) ?? '', /noopener/);
    assert.equal(await first.getByRole('link', { name: 'https://example.org' }).count(), 1);
    assert.equal(await first.locator('pre.code-block').textContent(), 'at main (app.ts:1)\n    at run (x.ts:2)', 'the stack trace keeps its layout');
    await ui.page.screenshot({ path: path.join(SCREENSHOTS, 'markdown-and-xss.png') });

    assert.deepEqual(ui.dialogs, [], 'no dialog opened');
    assert.equal(await ui.page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss), undefined);
    assert.equal(await body.locator('.message-body').locator('script, iframe, img, svg, object, style, form, button, details, math, input').count(), 0, 'no element from a message body');
    assert.equal(await ui.page.locator('a[href^="javascript:" i], a[href^="data:" i], a[href^="vbscript:" i]').count(), 0, 'no dangerous href');
    const handlers = await body.evaluate((root) =>
      [...(root as unknown as { querySelectorAll: (s: string) => Array<{ getAttributeNames: () => string[] }> }).querySelectorAll('*')].flatMap((el) => el.getAttributeNames().filter((n) => n.startsWith('on'))),
    );
    assert.deepEqual(handlers, [], 'no event handler attributes');
    for (const payload of ['<script>window.__xss = 1; alert(1)</script>', '<b onmouseover=alert(15)>hover</b>']) {
      assert.equal(await ui.messageBodies().filter({ hasText: payload }).count(), 1, `shown as text: ${payload}`);
    }
    await assertNoSeriousA11yViolations(ui.page, 'formatted messages');
  });
});
