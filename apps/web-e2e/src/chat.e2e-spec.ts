import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import type { TConversation, TSendAck } from '@chatbox/contracts';
import { connectSocket } from '@chatbox/server-testing';
import { ChatUi } from './chat-ui.page';
import { apiSession, logIn, person } from './people.fixture';
import { Platform, SCREENSHOTS, startPlatform } from './platform.fixture';

/** The receiving side must show a message within this long of the sender pressing Enter. */
const LIVE_MS = 1000;
const XSS = '<img src=x onerror=alert(1)>';

describe('web chat in Chromium', { timeout: 120_000 }, () => {
  let platform: Platform;
  before(async () => (platform = await startPlatform()));
  after(() => platform?.stop());

  test('two people: private group, live both ways, unread after being away, direct chat, markup shown as text', async () => {
    const { browser, webUrl } = platform;
    const alice = person('Alice', 'Martin');
    const bob = person('Bob', 'Chen');
    const group = `Launch ${randomBytes(2).toString('hex')}`;
    const aliceCtx = await browser.newContext({ viewport: { width: 1200, height: 760 } });
    const bobCtx = await browser.newContext({ viewport: { width: 1200, height: 760 } });

    const a = await ChatUi.open(aliceCtx, `${webUrl}/login`);
    await a.page.screenshot({ path: path.join(SCREENSHOTS, 'login.png') });
    await a.page.getByRole('link', { name: 'Create an account' }).click();
    // typed before React has hydrated the form, a value is lost (one run in many failed so)
    await a.page.waitForURL(/\/register$/);
    await a.page.waitForLoadState('networkidle');
    // the hint names the whole password rule; the api's field errors show next to the field
    assert.equal(await a.page.locator('#password-note').textContent(), 'At least 8 characters, not a common password');
    await a.page.getByLabel('Username').fill(alice.username);
    await a.page.getByLabel('Password').fill('short');
    await a.page.getByRole('button', { name: 'Sign up' }).click();
    assert.match((await a.page.locator('.field-error').textContent()) ?? '', /^Password must be at least 8 characters/);
    await a.signUp(alice);
    const b = await ChatUi.open(bobCtx, `${webUrl}/register`);
    await b.signUp(bob);

    // alice creates a private group with bob in it; it appears in bob's sidebar live
    await a.createGroup(group, 'private', bob.username);
    await b.openConversation(group);

    // both ways, each within a second on the receiving side
    await a.send('Morning! Is the release still on for today?');
    await b.seeMessage('Morning! Is the release still on for today?', LIVE_MS);
    await b.send('Yes, tagging it after lunch. Notes: https://example.org/notes');
    await a.seeMessage('Yes, tagging it after lunch.', LIVE_MS);
    const link = a.page.getByRole('link', { name: 'https://example.org/notes' });
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
    assert.equal(await link.getAttribute('href'), 'https://example.org/notes');

    // a burst from bob's other device (12 sends at once, delivered as `messages` events): all
    // 12 show on alice's screen live, in seq order
    const bobToken = await logIn(webUrl, bob);
    const { items } = (await (await apiSession(webUrl, bob, bobToken))('GET', '/conversations')) as { items: TConversation[] };
    const groupId = items.find((c) => c.name === group)!.id;
    const bobDevice = await connectSocket(webUrl, bobToken);
    const acks = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        new Promise<TSendAck>((resolve) =>
          bobDevice.socket.emit('message:send', { conversationId: groupId, clientMsgId: randomUUID(), body: `Checklist item ${String(i + 1).padStart(2, '0')}` }, resolve),
        ),
      ),
    );
    bobDevice.close();
    const burst = acks.map((ack) => ('message' in ack ? ack.message : assert.fail(JSON.stringify(ack)))).sort((x, y) => x.seq - y.seq).map((m) => m.body);
    await a.seeMessage(burst[11], LIVE_MS);
    assert.deepEqual((await a.messageBodies().allTextContents()).slice(-12), burst);

    // bob goes away; alice writes three messages
    await b.page.close();
    const away = ['First while you were away', 'Second: CI is green', 'Third: shipping at 3pm'];
    for (const text of away) await a.send(text);
    await a.page.screenshot({ path: path.join(SCREENSHOTS, 'chat.png') });

    await a.page.getByRole('button', { name: 'Group settings' }).click();
    const settings = a.page.getByRole('dialog', { name: `${group} settings` });
    await settings.locator(`[data-member="${bob.username}"]`).waitFor();
    assert.equal(await settings.locator('.role-badge.owner').count(), 1);
    await a.page.screenshot({ path: path.join(SCREENSHOTS, 'group-settings.png') });
    await a.page.keyboard.press('Escape');
    await settings.waitFor({ state: 'detached' });

    // bob logs in again (a fresh browser session): the badge says 3 and the three are in order
    const bobAgainCtx = await browser.newContext({ viewport: { width: 1200, height: 760 } });
    const b2 = await ChatUi.open(bobAgainCtx, `${webUrl}/login`);
    await b2.logIn(bob);
    assert.equal(await b2.unreadBadge(group), '3');
    await b2.openConversation(group);
    await b2.seeMessage(away[2], 5000);
    const bodies = (await b2.messageBodies().allTextContents()).slice(-3);
    assert.deepEqual(bodies, away);
    await b2.conversationButton(group).getByTestId('unread-badge').waitFor({ state: 'detached' });

    // a direct chat: bob finds alice; alice gets it live and answers
    await b2.openDirectWith(alice.username);
    await b2.page.getByRole('heading', { level: 1, name: alice.displayName }).waitFor();
    await b2.send('Quick one, just between us');
    assert.equal(await a.unreadBadge(bob.displayName), '1');
    await a.openConversation(bob.displayName);
    await a.seeMessage('Quick one, just between us', LIVE_MS);
    await a.send('Sure, go ahead');
    await b2.seeMessage('Sure, go ahead', LIVE_MS);

    // markup in a message is text: no element made from it, no script run
    await a.send(XSS);
    const shown = await b2.seeMessage(XSS, LIVE_MS);
    assert.equal(await shown.textContent(), XSS);
    await b2.page.waitForTimeout(300); // an onerror handler would have fired by now
    for (const ui of [a, b2]) {
      assert.equal(await ui.page.locator('img').count(), 0, 'no <img> element was created from the message');
      assert.deepEqual(ui.dialogs, [], 'no dialog was opened by a script');
    }

    // alice blocks bob: his next direct message is refused and says why; once unblocked, Retry sends it
    await a.openConversation(bob.displayName);
    await a.page.getByRole('button', { name: 'Block', exact: true }).click();
    await a.page.getByRole('button', { name: 'Unblock' }).waitFor();
    const box = b2.page.getByRole('combobox', { name: /^Message / });
    await box.fill('Still there?');
    await box.press('Enter');
    await b2.page.locator('[data-testid="message"][data-status="failed"]', { hasText: 'they have blocked you' }).waitFor({ timeout: 5000 });
    await a.page.getByRole('button', { name: 'Unblock' }).click();
    await a.page.getByRole('button', { name: 'Block', exact: true }).waitFor();
    await b2.page.getByRole('button', { name: 'Retry' }).click();
    await a.seeMessage('Still there?', LIVE_MS);

    // the owner removes bob: the group leaves bob's sidebar at once
    await a.openConversation(group);
    await a.page.getByRole('button', { name: 'Group settings' }).click();
    await a.page.getByRole('button', { name: `Remove ${bob.username}` }).click();
    await a.page.getByRole('button', { name: 'Yes, remove' }).click(); // removing asks first
    await a.page.locator(`[data-member="${bob.username}"]`).waitFor({ state: 'detached' });
    await b2.conversationButton(group).waitFor({ state: 'detached', timeout: 5000 });
    await a.page.keyboard.press('Escape');

    // logging out ends the session: this tab goes to the login page, and so does another tab of it
    const otherTab = await ChatUi.open(aliceCtx, `${webUrl}/chat`);
    await otherTab.page.locator('.me-status', { hasText: 'online' }).waitFor();
    await a.page.getByRole('button', { name: 'Log out' }).click();
    await a.page.waitForURL('**/login');
    await otherTab.page.waitForURL('**/login?expired=1');
    await otherTab.page.getByText('Your session has ended').waitFor();
    await a.page.goto(`${webUrl}/chat`);
    await a.page.waitForURL('**/login');
    await Promise.all([aliceCtx.close(), bobCtx.close(), bobAgainCtx.close()]);
  });
  test('phone width; a dropped connection: "reconnecting", missed messages once each in order, retry of an unsent one; older pages; a busy server', async () => {
    const { browser, webUrl } = platform;
    const carol = person('Carol', 'Diaz');
    const dan = person('Dan', 'Evans');
    const carolCtx = await browser.newContext({ viewport: { width: 1200, height: 760 } });
    const danCtx = await browser.newContext({ viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true });
    const c = await ChatUi.open(carolCtx, `${webUrl}/register`);
    await c.signUp(carol);
    const d = await ChatUi.open(danCtx, `${webUrl}/register`);
    await d.signUp(dan);

    // phone: the list first, then the conversation alone with a way back
    const pane = d.page.locator('main.pane');
    assert.equal(await pane.isVisible(), false);
    await d.openDirectWith(carol.username);
    await d.page.getByRole('heading', { level: 1, name: carol.displayName }).waitFor();
    assert.equal(await d.page.getByRole('navigation', { name: 'Conversations' }).isVisible(), false);
    await d.send('Hi Carol, from my phone');
    await c.openConversation(dan.displayName);
    await c.seeMessage('Hi Carol, from my phone', LIVE_MS);
    await d.page.screenshot({ path: path.join(SCREENSHOTS, 'chat-phone.png') });

    // the connection drops: dan sees it, carol writes meanwhile, dan catches up on reconnect
    await danCtx.setOffline(true);
    await d.page.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor({ timeout: 15_000 });
    const missed = ['While you were offline (1)', 'While you were offline (2)', 'While you were offline (3)'];
    for (const text of missed) await c.send(text);
    // what dan types offline is kept, marked as not sent, and goes out on Retry with the same id
    const box = d.page.getByRole('combobox', { name: /^Message / });
    await box.fill('Typed while offline');
    await d.submit(); // a phone: the Send button (Enter starts a new line there)
    await d.page.locator('[data-testid="message"][data-status="failed"]', { hasText: 'Typed while offline' }).waitFor();
    await danCtx.setOffline(false);
    await d.page.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor({ state: 'detached', timeout: 15_000 });
    await d.seeMessage(missed[2], 5000);
    await d.page.getByRole('button', { name: 'Retry' }).click();
    await d.seeMessage('Typed while offline', 5000);
    await c.seeMessage('Typed while offline', LIVE_MS);
    const bodies = await d.messageBodies().allTextContents();
    assert.deepEqual(bodies, ['Hi Carol, from my phone', ...missed, 'Typed while offline'], 'every message once, in seq order');
    assert.equal(await d.page.locator('[data-testid="message"]:not([data-status="sent"])').count(), 0);
    await d.page.getByRole('button', { name: 'Back to conversations' }).click();
    await d.page.getByRole('navigation', { name: 'Conversations' }).waitFor();

    // a public group with a long history: found by search, joined, older pages load on scrolling up
    const design = `Design ${randomBytes(2).toString('hex')}`;
    const carolApi = await apiSession(webUrl, carol);
    const group = (await carolApi('POST', '/groups', { name: design, visibility: 'public' })) as TConversation;
    const backlog = Array.from({ length: 55 }, (_, i) => `Backlog ${i + 1}`);
    for (const body of backlog) await carolApi('POST', `/conversations/${group.id}/messages`, { clientMsgId: randomUUID(), body });
    await d.joinGroup(design);
    await d.seeMessage('Backlog 55', 5000);
    assert.equal(await d.messageBodies().count(), 50, 'the newest page first');
    await d.page.locator('.message-list').evaluate((el) => el.scrollTo(0, 0));
    await d.seeMessage('Backlog 1', 5000);
    await d.page.getByText('This is the beginning of the conversation.').waitFor();
    assert.deepEqual(await d.messageBodies().allTextContents(), backlog);
    await c.openConversation(design);
    await d.send('Joined, thanks!');
    await c.seeMessage('Joined, thanks!', LIVE_MS);

    // the server is too busy for a moment (its first answer to erin's send is `unavailable`, played
    // here by a proxy of her socket): the message stays "sending" and goes out by itself, once
    const erin = person('Erin', 'Ford');
    const erinCtx = await browser.newContext({ viewport: { width: 1200, height: 760 } });
    let sendsSeen = 0;
    await erinCtx.routeWebSocket(/\/socket\.io\//, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((frame) => {
        const send = typeof frame === 'string' ? /^42(\d+)\["message:send",/.exec(frame) : null;
        if (send && sendsSeen++ === 0) {
          ws.send(`43${send[1]}[{"error":{"code":"unavailable","message":"Too many messages are waiting to be stored; try again in a moment."}}]`);
        } else {
          server.send(frame);
        }
      });
    });
    const e = await ChatUi.open(erinCtx, `${webUrl}/register`);
    await e.signUp(erin);
    await e.joinGroup(design);
    await e.send('Sent while the server was busy');
    await c.seeMessage('Sent while the server was busy', LIVE_MS);
    assert.equal(sendsSeen, 2, 'refused once, then sent again by itself');
    assert.equal(await e.page.locator('[data-testid="message"]', { hasText: 'Sent while the server was busy' }).count(), 1);
    await Promise.all([carolCtx.close(), danCtx.close(), erinCtx.close()]);
  });
});
