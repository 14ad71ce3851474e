import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { EXPORT_FILES, LIMITS, ZExportAccount, type TConversation, type TMessage } from '@chatbox/contracts';
import { unzipText } from '@chatbox/server-testing';
import { assertNoSeriousA11yViolations } from './accessibility';
import { ChatUi } from './chat-ui.page';
import { person, registered } from './people.fixture';
import { Platform, SCREENSHOTS, startPlatform } from './platform.fixture';

const WIDTHS: Array<{ name: 'desktop' | 'phone'; options: BrowserContextOptions }> = [
  { name: 'desktop', options: { viewport: { width: 1280, height: 800 }, acceptDownloads: true } },
  { name: 'phone', options: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, acceptDownloads: true } },
];

/** Focuses a control and types into it, replacing what was there: the keyboard alone. */
async function typeInto(page: Page, label: string | RegExp, text: string) {
  await page.getByRole('textbox', { name: label }).focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  if (text) await page.keyboard.type(text);
}

/** Issue 15 item 2: the profile page (name, password, receipts, data), from the sidebar and back, keyboard only. */
describe('profile page, in Chromium', { timeout: 240_000 }, () => {
  let platform: Platform;
  before(async () => (platform = await startPlatform()));
  after(() => platform?.stop());

  for (const width of WIDTHS) {
    test(`${width.name}: change the name (others see it), the password (log in with it), receipts and download the data`, async () => {
      const { browser, webUrl } = platform;
      const [ann, bob] = [person('Ann', 'Profile'), person('Bob', 'Watcher')];
      const [annR, bobR] = [await registered(webUrl, ann), await registered(webUrl, bob)];
      const group = `Profile ${randomBytes(2).toString('hex')}`;
      const conv = (await annR.api('POST', '/groups', { name: group, memberIds: [bobR.id] })) as TConversation;
      const annCtx = await browser.newContext(width.options);
      const a = await ChatUi.loggedIn(annCtx, webUrl, ann);
      const page = a.page;

      // from the sidebar header to the profile page, with the keyboard (a phone shows the list first)
      await page.getByRole('link', { name: 'Profile', exact: true }).focus();
      await page.keyboard.press('Enter');
      await page.waitForURL('**/profile');
      await page.getByRole('heading', { level: 2, name: 'Display name' }).waitFor();
      await page.locator('input[type="checkbox"]:not([disabled])').waitFor(); // receipts loaded
      await assertNoSeriousA11yViolations(page, `${width.name}: profile page`);
      await page.screenshot({ path: path.join(SCREENSHOTS, `profile-${width.name}.png`), fullPage: true });

      // the name: empty and too long get the server's field error, nothing stored; then a good one
      const nameNote = page.locator('#displayName-note');
      await typeInto(page, 'Display name', '');
      await page.keyboard.press('Enter');
      await page.locator('#displayName-note.field-error').waitFor();
      assert.match((await nameNote.textContent()) ?? '', /^Display name /);
      assert.equal(await page.getByRole('textbox', { name: 'Display name' }).getAttribute('aria-invalid'), 'true');
      await typeInto(page, 'Display name', 'x'.repeat(LIMITS.displayNameMax + 1));
      await page.keyboard.press('Enter');
      await page.locator('#displayName-note.field-error').waitFor();
      assert.match((await nameNote.textContent()) ?? '', new RegExp(`${LIMITS.displayNameMax}`));
      await assertNoSeriousA11yViolations(page, `${width.name}: profile page with a field error`);
      if (width.name === 'phone') await page.screenshot({ path: path.join(SCREENSHOTS, 'profile-name-error-phone.png') });
      const newName = `Annie ${width.name}`;
      await typeInto(page, 'Display name', newName);
      await page.keyboard.press('Enter');
      await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
      assert.equal(await page.locator('.admin-header h1 bdi').textContent(), newName, 'the page heading follows at once');

      // the password: a wrong current one is refused, then the change goes through
      await typeInto(page, /^Current password/, 'not my password');
      await typeInto(page, /^New password/, 'a brand new secret');
      await page.keyboard.press('Enter');
      await page.locator('p.form-error[role="alert"], #currentPassword-note.field-error').first().waitFor();
      assert.equal(await page.getByRole('status').filter({ hasText: 'Password changed' }).count(), 0);
      await typeInto(page, /^Current password/, ann.password);
      await typeInto(page, /^New password/, 'a brand new secret');
      await page.keyboard.press('Enter');
      await page.getByRole('status').filter({ hasText: 'Password changed' }).waitFor();
      assert.equal(await page.getByRole('textbox', { name: /^New password/ }).inputValue(), '', 'the form empties');

      // receipts: Space on the focused box, saved at once, kept after a reload
      const box = page.getByRole('checkbox', { name: 'Share read receipts' });
      assert.equal(await box.isChecked(), true, 'shared by default');
      await box.focus();
      await page.keyboard.press('Space');
      await page.locator('input[type="checkbox"]:not([disabled])').waitFor();
      await page.reload();
      await page.locator('input[type="checkbox"]:not([disabled])').waitFor();
      assert.equal(await box.isChecked(), false, 'kept on the server');

      // "Download my data": a zip of this account, Enter on the focused link
      await page.getByRole('link', { name: 'Download my data' }).focus();
      const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
      const files = await unzipText(readFileSync(await download.path()));
      const account = ZExportAccount.parse(JSON.parse(files.get(EXPORT_FILES.account) ?? ''));
      assert.equal(account.user.username, ann.username);
      assert.equal(account.user.displayName, newName, 'the export has the new name');

      // back to the chat: the sidebar shows the new name at once, and the group's next message carries it
      await page.getByRole('link', { name: 'Back to the chat' }).focus();
      await page.keyboard.press('Enter');
      await page.locator('.me-name bdi', { hasText: newName }).waitFor();
      await a.openConversation(group);
      await a.send('signed with my new name');
      const sender = page.locator('[data-testid="message"]', { hasText: 'signed with my new name' }).locator('.sender > bdi');
      assert.equal(await sender.textContent(), newName);
      const seenByBob = (await bobR.api('GET', `/conversations/${conv.id}/messages`)) as TMessage[] | { items: TMessage[] };
      const bobsCopy = (Array.isArray(seenByBob) ? seenByBob : seenByBob.items).find((m) => m.body === 'signed with my new name');
      assert.equal(bobsCopy?.sender.displayName, newName, 'the others get the new name with the next message');

      // the new password logs in, the old one does not
      if (width.name === 'phone') await page.getByRole('button', { name: 'Back to conversations' }).click();
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL('**/login');
      await page.getByLabel('Username').fill(ann.username);
      await page.getByLabel('Password').fill(ann.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.locator('p.form-error[role="alert"]').waitFor(); // the old password no longer works
      await a.logIn({ ...ann, password: 'a brand new secret' });
      await page.locator('.me-name bdi', { hasText: newName }).waitFor();
      await annCtx.close();
    });
  }
});
