import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { freePort } from '@chatbox/tools';
import { ChatUi, Person } from './chat-ui.page';
import { Platform, startPlatform } from './platform.fixture';

const person = (first: string): Person => ({
  username: `${first.toLowerCase()}_${randomBytes(3).toString('hex')}`,
  displayName: first,
  password: 'correct horse battery',
});

/** The web app's pages: security headers, no framing, a CSP the app runs under; no token in scripts (issue 20, finding 9). */
describe('web security headers in Chromium', { timeout: 120_000 }, () => {
  let platform: Platform;
  before(async () => (platform = await startPlatform()));
  after(() => platform?.stop());

  test('every page carries CSP (per-request script nonce, frame-ancestors none), X-Frame-Options, nosniff and Referrer-Policy', async () => {
    const nonces = new Set<string>();
    for (const page of ['/', '/login', '/register', '/chat', '/no-such-page', '/login?x=1']) {
      const res = await fetch(`${platform.webUrl}${page}`, { redirect: 'manual', headers: { 'content-security-policy': "script-src 'nonce-mine'" } });
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /frame-ancestors 'none'/, page);
      assert.match(csp, /object-src 'none'/, page);
      const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
      assert.doesNotMatch(scriptSrc, /unsafe-inline|unsafe-eval|nonce-mine/, page);
      nonces.add(/'nonce-([^']+)'/.exec(scriptSrc)?.[1] ?? assert.fail(`${page}: no nonce`));
      assert.equal(res.headers.get('x-frame-options'), 'DENY', page);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', page);
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer', page);
    }
    assert.equal(nonces.size, 6, 'a fresh nonce per answer');
  });

  test('another site cannot frame a page', async () => {
    // the attacker's page, served by another origin on the same machine
    const evil = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<iframe src="${platform.webUrl}/login"></iframe>`);
    });
    const evilPort = await freePort();
    await new Promise<void>((resolve) => evil.listen(evilPort, '127.0.0.1', resolve));
    const context = await platform.browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`http://localhost:${evilPort}/`);
      const victim = (await (await page.waitForSelector('iframe')).contentFrame()) ?? assert.fail('the iframe has a frame');
      await victim.waitForLoadState('load');
      assert.equal(await victim.locator('form').count(), 0, `the login form loaded inside the frame (${victim.url()})`);
    } finally {
      await context.close();
      evil.close();
    }
  });

  test('the app works under its CSP: sign up, live chat, log in again; no violation, and no token ever in a script-visible answer', async () => {
    const ann = person('Ann');
    const violations: string[] = [];
    const tokensSeen: string[] = [];
    /** A browser context whose CSP reports and auth answers are watched. */
    const watchedContext = async () => {
      const context = await platform.browser.newContext();
      context.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      context.on('response', async (res) => {
        if (/\/api\/auth\//.test(res.url()) && (await res.text().catch(() => '')).includes('accessToken')) tokensSeen.push(res.url());
      });
      return context;
    };
    const a = await ChatUi.open(await watchedContext(), `${platform.webUrl}/register`);
    await a.page.waitForLoadState('networkidle');
    assert.deepEqual(violations, [], 'the page loaded without CSP violations');
    await a.signUp(ann);
    const group = `Csp ${randomBytes(2).toString('hex')}`;
    await a.createGroup(group, 'private');
    await a.send('Scripts run, sockets connect, styles apply.');
    const avatarColour = await a.page.locator('.avatar').first().evaluate((e) => e.ownerDocument.defaultView?.getComputedStyle(e).backgroundColor);
    assert.notEqual(avatarColour, 'rgba(0, 0, 0, 0)', 'inline styles apply');
    // another browser logs in (the other auth answer) and sees the message over REST and socket
    const b = await ChatUi.open(await watchedContext(), `${platform.webUrl}/login`);
    await b.page.waitForLoadState('networkidle');
    await b.logIn(ann);
    await b.openConversation(group);
    await b.seeMessage('Scripts run, sockets connect, styles apply.', 5000);
    assert.deepEqual(violations, []);
    assert.deepEqual(tokensSeen, []);
    assert.deepEqual([...a.dialogs, ...b.dialogs], []);
    await a.page.context().close();
    await b.page.context().close();
  });
});
