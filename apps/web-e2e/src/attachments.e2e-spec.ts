import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { BrowserContextOptions, Locator, Page } from 'playwright-core';
import { assertNoSeriousA11yViolations } from './accessibility';
import { ChatUi } from './chat-ui.page';
import { person, registered } from './people.fixture';
import { Platform, SCREENSHOTS, startPlatform } from './platform.fixture';

const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const MB = 1024 * 1024;

/** The message (confirmed) holding a file or image named `name`. */
const sentMessageWith = (ui: ChatUi, name: string): Locator =>
  ui.page.locator('.message-list [data-testid="message"][data-status="sent"]').filter({ has: ui.page.locator(`img[alt="${name}"], .attachment-name:text-is("${name}")`) });

/**
 * Pastes a "screenshot" into the composer as a browser delivers one: a PNG drawn on a canvas,
 * in a paste event's clipboard data. Runs in the page (this file compiles without the DOM library).
 */
async function pasteScreenshot(page: Page, width: number, height: number): Promise<void> {
  await page.evaluate(
    async ({ width, height }) => {
      const g = globalThis as unknown as {
        document: {
          createElement: (tag: 'canvas') => { width: number; height: number; getContext: (k: '2d') => CanvasCtx; toBlob: (cb: (b: Blob | null) => void, type: string) => void };
          querySelector: (s: string) => { focus: () => void; dispatchEvent: (e: unknown) => boolean };
        };
        DataTransfer: new () => { items: { add: (f: File) => void } };
        ClipboardEvent: new (type: string, init: object) => unknown;
      };
      type CanvasCtx = { fillStyle: string; fillRect: (x: number, y: number, w: number, h: number) => void; font: string; fillText: (t: string, x: number, y: number) => void };
      const canvas = g.document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#1164a3';
      ctx.fillRect(0, 0, width, height);
      ctx.fillStyle = '#ffd54f';
      ctx.fillRect(width / 4, height / 4, width / 2, height / 2);
      ctx.fillStyle = '#000';
      ctx.font = '48px sans-serif';
      ctx.fillText('Build failed on main', 40, 80);
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b as Blob), 'image/png'));
      const data = new g.DataTransfer();
      data.items.add(new File([blob], 'image.png', { type: 'image/png' }));
      const box = g.document.querySelector('textarea[aria-label^="Message "]');
      box.focus();
      box.dispatchEvent(new g.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    },
    { width, height },
  );
}

/** A file of `bytes` bytes on disk (big ones are handed to the browser by path, not through the protocol). */
function fileOnDisk(name: string, bytes: number, fill: string | number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'chatbox-attach-'));
  const file = path.join(dir, name);
  writeFileSync(file, Buffer.alloc(bytes, fill));
  return file;
}

/** Picks files with the attach button, by keyboard: Tab from the composer to it, Enter opens the chooser. */
async function attachByKeyboard(ui: ChatUi, files: string[]): Promise<void> {
  await ui.composer().focus();
  await ui.page.keyboard.press('Tab');
  const focused = await ui.page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute: (n: string) => string | null } } }).document.activeElement.getAttribute('aria-label'));
  assert.equal(focused, 'Attach files', 'Tab from the composer reaches the attach button');
  const [chooser] = await Promise.all([ui.page.waitForEvent('filechooser'), ui.page.keyboard.press('Enter')]);
  await chooser.setFiles(files);
}

/** Uploads over a throttled line (DevTools network emulation), so progress can be watched on localhost. */
async function throttleUploads(page: Page, bytesPerSecond: number): Promise<() => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });
  return async () => {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.detach();
  };
}

/**
 * Alice at a desktop and Bob on `bobScreen`, both in a new group named `<topic> <random>` that
 * each has open.
 */
async function twoInAGroup(platform: Platform, topic: string, [aliceLast, bobLast]: [string, string], bobScreen: BrowserContextOptions): Promise<{ group: string; aliceUi: ChatUi; bobUi: ChatUi }> {
  const alice = person('Alice', aliceLast);
  const bob = person('Bob', bobLast);
  const group = `${topic} ${randomBytes(2).toString('hex')}`;
  const a = await registered(platform.webUrl, alice);
  const b = await registered(platform.webUrl, bob);
  await a.api('POST', '/groups', { name: group, memberIds: [b.id] });
  const aliceUi = await ChatUi.loggedIn(await platform.browser.newContext(DESKTOP), platform.webUrl, alice);
  const bobUi = await ChatUi.loggedIn(await platform.browser.newContext(bobScreen), platform.webUrl, bob);
  await aliceUi.openConversation(group);
  await bobUi.openConversation(group);
  return { group, aliceUi, bobUi };
}

const naturalWidth = (img: Locator) => img.evaluate((el) => (el as unknown as { complete: boolean; naturalWidth: number }).complete ? (el as unknown as { naturalWidth: number }).naturalWidth : 0);

describe('attachments in Chromium', { timeout: 240_000 }, () => {
  let platform: Platform;
  before(async () => (platform = await startPlatform({}, { files: true })));
  after(() => platform?.stop());

  test('alice pastes a screenshot and sends it alone; bob, on a phone, sees the thumbnail within 1 s and opens the full image; Escape closes it', async () => {
    const { aliceUi, bobUi } = await twoInAGroup(platform, 'Ops', ['Martin', 'Chen'], PHONE);

    await pasteScreenshot(aliceUi.page, 1600, 900);
    const upload = aliceUi.page.getByTestId('upload');
    await upload.and(aliceUi.page.locator('[data-status="done"]')).waitFor();
    assert.equal(await aliceUi.composer().inputValue(), '', 'the image went to the tray, no text was pasted');
    await aliceUi.page.screenshot({ path: path.join(SCREENSHOTS, 'attachments-pasted-desktop.png') });
    await assertNoSeriousA11yViolations(aliceUi.page, 'composer with a pasted image');

    // files alone are a message: Send is on with an empty text
    await aliceUi.submit();
    await upload.waitFor({ state: 'detached' });
    const mine = sentMessageWith(aliceUi, 'image.png');
    await mine.waitFor({ timeout: 5000 });
    const sentAt = Date.now();

    const thumb = bobUi.page.getByRole('button', { name: 'Open image image.png' });
    const thumbImg = thumb.locator('img');
    await thumbImg.waitFor({ timeout: 1000 });
    for (; (await naturalWidth(thumbImg)) === 0; ) {
      assert.ok(Date.now() - sentAt < 1000, 'the thumbnail has loaded within 1 s of the send');
      await new Promise((r) => setTimeout(r, 20));
    }
    const seenAfter = Date.now() - sentAt;
    assert.ok(seenAfter < 1000, `bob saw the thumbnail ${seenAfter} ms after the send`);
    console.log(`[attachments] bob's thumbnail loaded ${seenAfter} ms after alice's send was confirmed`);
    const box = await thumbImg.boundingBox();
    assert.ok(box && box.width <= 390 && Math.abs(box.width / box.height - 16 / 9) < 0.05, `the thumbnail keeps the image shape inside the phone screen: ${JSON.stringify(box)}`);
    await bobUi.page.screenshot({ path: path.join(SCREENSHOTS, 'attachments-thumbnail-phone.png') });

    await thumb.tap();
    const viewer = bobUi.page.getByRole('dialog', { name: 'Image image.png' });
    await viewer.waitFor();
    const full = viewer.getByRole('img', { name: 'image.png' });
    await full.waitFor();
    for (const until = Date.now() + 5000; (await naturalWidth(full)) === 0 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await naturalWidth(full), 1600, 'the viewer shows the full image, not the thumbnail');
    assert.ok(((await viewer.getByRole('link', { name: /Download/ }).getAttribute('href')) ?? '').length > 0);
    await bobUi.page.screenshot({ path: path.join(SCREENSHOTS, 'attachments-viewer-phone.png') });
    await assertNoSeriousA11yViolations(bobUi.page, 'image viewer (phone)');
    await bobUi.page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
    assert.equal(await thumb.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement), true, 'focus is back on the thumbnail');

    // alice, at a keyboard only: the thumbnail takes focus, Enter opens the viewer, Escape closes it
    const aliceThumb = aliceUi.page.getByRole('button', { name: 'Open image image.png' });
    await aliceThumb.focus();
    await aliceUi.page.keyboard.press('Enter');
    const aliceViewer = aliceUi.page.getByRole('dialog', { name: 'Image image.png' });
    await aliceViewer.waitFor();
    assert.equal(await aliceViewer.evaluate((el) => el.contains((globalThis as unknown as { document: { activeElement: never } }).document.activeElement)), true, 'focus moves into the viewer');
    await aliceUi.page.screenshot({ path: path.join(SCREENSHOTS, 'attachments-viewer-desktop.png') });
    await assertNoSeriousA11yViolations(aliceUi.page, 'image viewer (desktop)');
    await aliceUi.page.keyboard.press('Escape');
    await aliceViewer.waitFor({ state: 'detached' });
    assert.equal(await aliceThumb.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement), true);
    await aliceUi.page.screenshot({ path: path.join(SCREENSHOTS, 'attachments-desktop.png') });
    assert.deepEqual([...aliceUi.dialogs, ...bobUi.dialogs], []);
  });

  test('a 20 MB file uploads with its progress bar advancing, can be cancelled, and reaches bob as a card with name, size and download; 30 MB is refused naming the limit', async () => {
    const { aliceUi, bobUi } = await twoInAGroup(platform, 'Logs', ['Roux', 'Lind'], DESKTOP);
    // file choosers are intercepted from now on: a listener added only while waiting for one may
    // switch interception on after the chooser opened (seen under load)
    aliceUi.page.on('filechooser', () => undefined);

    // 20 MB over a 10 MB/s line: about two seconds of progress to watch
    const unthrottle = await throttleUploads(aliceUi.page, 10 * MB);
    await attachByKeyboard(aliceUi, [fileOnDisk('server-20mb.log', 20 * MB, 'log line\n')]);
    const bar = aliceUi.page.getByRole('progressbar', { name: 'Uploading server-20mb.log' });
    await bar.waitFor();
    const seen = new Set<number>();
    for (const until = Date.now() + 60_000; Date.now() < until; ) {
      const value = await bar.getAttribute('value', { timeout: 1000 }).catch(() => null);
      if (value === null) break; // the upload finished: the bar is gone
      seen.add(Number(value));
      if (seen.size === 3) await aliceUi.page.screenshot({ path: path.join(SCREENSHOTS, 'attachments-progress-desktop.png') });
      await new Promise((r) => setTimeout(r, 100));
    }
    const between = [...seen].filter((v) => v > 0 && v < 100);
    console.log(`[attachments] progress values seen for 20 MB at 10 MB/s: ${[...seen].join(', ')}`);
    assert.ok(between.length >= 3, `the bar advanced through several values: ${[...seen].join(', ')}`);
    assert.deepEqual([...seen], [...seen].sort((x, y) => x - y), 'it only moves forward');
    await aliceUi.page.getByTestId('upload').and(aliceUi.page.locator('[data-status="done"]')).waitFor({ timeout: 60_000 });

    // a second one, cancelled half-way: gone from the tray, not sent
    await attachByKeyboard(aliceUi, [fileOnDisk('cancel-me.bin', 20 * MB, 7)]);
    await aliceUi.page.getByRole('progressbar', { name: 'Uploading cancel-me.bin' }).waitFor();
    await aliceUi.page.getByRole('button', { name: 'Cancel upload of cancel-me.bin' }).click();
    await aliceUi.page.getByTestId('upload').filter({ hasText: 'cancel-me.bin' }).waitFor({ state: 'detached' });
    await unthrottle();

    await aliceUi.composer().fill('the full log of last night');
    await aliceUi.submit();
    const card = bobUi.page.locator('.attachment-card').filter({ hasText: 'server-20mb.log' });
    await card.waitFor({ timeout: 5000 });
    assert.match(await card.innerText(), /server-20mb\.log\s+20 MB/);
    const download = card.getByRole('link', { name: 'Download server-20mb.log, 20 MB' });
    const href = (await download.getAttribute('href')) ?? '';
    const fetched = await bobUi.page.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, size: (await res.arrayBuffer()).byteLength };
    }, href);
    assert.deepEqual(fetched, { status: 200, size: 20 * MB }, 'bob downloads the whole file');
    assert.equal(await bobUi.page.locator('.attachment-card').filter({ hasText: 'cancel-me.bin' }).count(), 0, 'the cancelled file was not sent');
    await bobUi.page.screenshot({ path: path.join(SCREENSHOTS, 'attachments-file-card-desktop.png') });

    // 30 MB: refused with the server's limit in words, the message not sent
    await attachByKeyboard(aliceUi, [fileOnDisk('too-big.bin', 30 * MB, 1)]);
    const refused = aliceUi.page.getByTestId('upload').filter({ hasText: 'too-big.bin' });
    await refused.and(aliceUi.page.locator('[data-status="failed"]')).waitFor({ timeout: 60_000 });
    const error = await refused.getByRole('alert').innerText();
    assert.match(error, /too large/i);
    assert.match(error, /25 MB/, `the limit is named: ${error}`);
    assert.equal(await aliceUi.page.getByRole('button', { name: 'Send', exact: true }).isDisabled(), true, 'nothing to send');
    await aliceUi.page.screenshot({ path: path.join(SCREENSHOTS, 'attachments-too-large-desktop.png') });
    await assertNoSeriousA11yViolations(aliceUi.page, 'composer with a refused file');
    await refused.getByRole('button', { name: 'Remove too-big.bin' }).click();
    await refused.waitFor({ state: 'detached' });
  });

  test('files dropped on the conversation are attached; an 11th is refused, 10 go in one message; a phone shows them as cards', async () => {
    const { group, aliceUi, bobUi } = await twoInAGroup(platform, 'Drops', ['Nguyen', 'Okafor'], PHONE);

    const names = Array.from({ length: 11 }, (_, i) => `notes-${i + 1}.txt`);
    const data = await aliceUi.page.evaluateHandle((files) => {
      const g = globalThis as unknown as { DataTransfer: new () => { items: { add: (f: File) => void } } };
      const dt = new g.DataTransfer();
      for (const name of files) dt.items.add(new File([`notes of ${name}\n`], name, { type: 'text/plain' }));
      return dt;
    }, names);
    const pane = aliceUi.page.getByRole('region', { name: `Conversation ${group}` });
    await pane.dispatchEvent('dragenter', { dataTransfer: data });
    await aliceUi.page.getByText(`Drop files to send to ${group}`).waitFor();
    await pane.dispatchEvent('drop', { dataTransfer: data });
    await aliceUi.page.getByText('A message takes at most 10 files; 1 file was not added.').waitFor();
    const uploads = aliceUi.page.getByTestId('upload');
    assert.equal(await uploads.count(), 10);
    for (const item of await uploads.all()) await item.and(aliceUi.page.locator('[data-status="done"]')).waitFor();
    await aliceUi.composer().fill('ten notes');
    await aliceUi.submit();
    await uploads.first().waitFor({ state: 'detached' });

    const cards = bobUi.page.locator('.attachment-card');
    await cards.nth(9).waitFor({ timeout: 5000 });
    assert.equal(await cards.count(), 10);
    for (const card of await cards.all()) {
      const rect = await card.boundingBox();
      assert.ok(rect && rect.x >= 0 && rect.x + rect.width <= 390, 'every card fits the phone screen');
    }
    await bobUi.page.screenshot({ path: path.join(SCREENSHOTS, 'attachments-cards-phone.png') });
    await assertNoSeriousA11yViolations(bobUi.page, 'file cards (phone)');
  });
});
