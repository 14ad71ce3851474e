import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContextOptions } from 'playwright-core';
import { EXPORT_FILES, ZExportAccount, ZExportConversation } from '@chatbox/contracts';
import { unzipText } from '@chatbox/server-testing';
import { assertNoSeriousA11yViolations } from './accessibility';
import { ChatUi, Person } from './chat-ui.page';
import { Platform, SCREENSHOTS, startPlatform } from './platform.fixture';

const person = (first: string): Person => ({ username: `${first.toLowerCase()}_${randomBytes(3).toString('hex')}`, displayName: first, password: 'correct horse battery' });
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, acceptDownloads: true };
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, acceptDownloads: true };

/** Issue 15: "Download my data" downloads the account's export, a zip, at a keyboard and on a phone. */
describe('download my data, in Chromium', { timeout: 120_000 }, () => {
  let platform: Platform;
  before(async () => (platform = await startPlatform({}, { files: true })));
  after(() => platform?.stop());

  test('the link downloads a zip with the account and the messages just sent', async () => {
    const ann = person('Ann');
    const ctx = await platform.browser.newContext(DESKTOP);
    const ui = await ChatUi.open(ctx, `${platform.webUrl}/register`);
    await ui.signUp(ann);
    await ui.createGroup('Export test', 'private');
    await ui.send('a line worth keeping');

    const link = ui.page.getByRole('link', { name: 'Download my data' });
    await link.focus(); // keyboard only: focus and Enter
    const [download] = await Promise.all([ui.page.waitForEvent('download'), ui.page.keyboard.press('Enter')]);
    assert.match(download.suggestedFilename(), /^chatbox-export-\d{4}-\d{2}-\d{2}\.zip$/);
    const file = await download.path();
    const zip = readFileSync(file);
    assert.equal(zip.subarray(0, 4).toString('latin1'), 'PK\x03\x04', 'a zip');
    const files = await unzipText(zip);
    assert.equal(ZExportAccount.parse(JSON.parse(files.get(EXPORT_FILES.account) ?? '')).user.username, ann.username);
    const exported = [...files.entries()]
      .filter(([name, text]) => name.startsWith('conversations/') && text !== null)
      .map(([, text]) => ZExportConversation.parse(JSON.parse(text ?? '')));
    const group = exported.find((c) => c.conversation.name === 'Export test');
    assert.deepEqual(group?.messages.map((m) => m.body), ['a line worth keeping']);
    assert.match(ui.page.url(), /\/chat$/, 'the chat stays open');
    await assertNoSeriousA11yViolations(ui.page, 'chat with the download link');
    await ui.page.screenshot({ path: path.join(SCREENSHOTS, 'export-link-desktop.png') });
    await ctx.close();
  });

  test('on a phone the link is in reach and downloads the zip', async () => {
    const bob = person('Bob');
    const ctx = await platform.browser.newContext(PHONE);
    const ui = await ChatUi.open(ctx, `${platform.webUrl}/register`);
    await ui.signUp(bob);
    const link = ui.page.getByRole('link', { name: 'Download my data' });
    await link.scrollIntoViewIfNeeded();
    await ui.page.screenshot({ path: path.join(SCREENSHOTS, 'export-link-phone.png') });
    const [download] = await Promise.all([ui.page.waitForEvent('download'), link.tap()]);
    const zip = readFileSync(await download.path());
    assert.equal(zip.subarray(0, 4).toString('latin1'), 'PK\x03\x04', 'a zip');
    await ctx.close();
  });
});
