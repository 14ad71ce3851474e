import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { BrowserContextOptions, Locator } from 'playwright-core';
import { assertNoSeriousA11yViolations } from './accessibility';
import { ChatUi } from './chat-ui.page';
import { person, registered } from './people.fixture';
import { Platform, startPlatform } from './platform.fixture';

const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const LIVE_MS = 10_000;

const messageWith = (ui: ChatUi, text: string): Locator =>
  ui.page.locator('.message-list [data-testid="message"][data-status="sent"]').filter({ has: ui.page.locator('.message-body', { hasText: text }) }).last();

/** The actions a message offers, as a person finds them (hovering it). */
async function actionsOf(ui: ChatUi, message: Locator): Promise<string[]> {
  await message.hover();
  return message.getByRole('toolbar', { name: 'Message actions' }).getByRole('button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label') ?? ''));
}

/** API.md "Groups, version 2": anonymous questions in the web app. */
describe('anonymous questions in Chromium', { timeout: 180_000 }, () => {
  let platform: Platform;
  before(async () => (platform = await startPlatform()));
  after(() => platform?.stop());

  test('the owner turns them on; a member asks anonymously; the others see "Anonymous", the asker can still edit it', async () => {
    const [teacher, student, classmate] = [person('Tara', 'Teacher'), person('Sam', 'Student'), person('Max', 'Classmate')];
    const group = `Physics ${randomBytes(2).toString('hex')}`;
    const t = await registered(platform.webUrl, teacher);
    const s = await registered(platform.webUrl, student);
    const c = await registered(platform.webUrl, classmate);
    await t.api('POST', '/groups', { name: group, memberIds: [s.id, c.id] });
    const open = async (who: typeof teacher) => {
      const ui = await ChatUi.loggedIn(await platform.browser.newContext(DESKTOP), platform.webUrl, who);
      await ui.openConversation(group);
      return ui;
    };
    const [teacherUi, studentUi, classmateUi] = [await open(teacher), await open(student), await open(classmate)];
    const toggle = studentUi.page.getByRole('checkbox', { name: 'Ask anonymously' });
    assert.equal(await toggle.count(), 0, 'no toggle while the group does not take anonymous questions');

    // the owner: group settings, a description and anonymous questions on
    await teacherUi.page.getByRole('button', { name: 'Group settings' }).click();
    const settings = teacherUi.page.getByRole('dialog', { name: `${group} settings` });
    // the member list loads first and pushes the form down: a click during that shift misses
    await settings.getByRole('heading', { name: /Members · \d+/ }).waitFor();
    await settings.getByLabel('Description').fill('Ask anything about the course.');
    await settings.getByRole('checkbox', { name: /Allow anonymous questions/ }).check();
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await settings.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await assertNoSeriousA11yViolations(teacherUi.page, 'the group settings with anonymous questions');
    await settings.getByRole('button', { name: 'Close' }).click();

    // the student: the toggle appears live; nothing is typed under their name meanwhile
    await toggle.waitFor({ timeout: LIVE_MS });
    await toggle.check();
    const box = studentUi.page.getByRole('combobox', { name: `Ask ${group} anonymously` });
    await box.fill('Will the exam cover chapter 7?');
    await box.press('Enter');
    const own = messageWith(studentUi, 'Will the exam cover chapter 7?');
    await own.locator('.anonymous-sender', { hasText: 'Anonymous (you asked this)' }).waitFor({ timeout: LIVE_MS });
    assert.deepEqual((await actionsOf(studentUi, own)).filter((a) => a.includes('message')), ['Edit message', 'Delete message'], 'the asker may edit and delete it');
    await assertNoSeriousA11yViolations(studentUi.page, 'the composer asking anonymously');

    // the others see "Anonymous", never the student's name
    for (const ui of [teacherUi, classmateUi]) {
      const seen = messageWith(ui, 'Will the exam cover chapter 7?');
      await seen.waitFor({ timeout: LIVE_MS });
      assert.equal(await seen.getAttribute('aria-label').then((l) => l?.startsWith('Anonymous, ')), true);
      assert.equal((await seen.locator('.anonymous-sender').textContent())?.trim(), 'Anonymous');
      const text = (await seen.textContent()) ?? '';
      assert.ok(!text.includes(student.displayName) && !text.includes(student.username), `no name in: ${text}`);
      assert.ok(await seen.evaluate((el) => el.classList.contains('anonymous')), 'shown apart');
    }
    const teacherActions = await actionsOf(teacherUi, messageWith(teacherUi, 'Will the exam cover chapter 7?'));
    assert.ok(teacherActions.includes('Delete message') && !teacherActions.includes('Edit message'), `the owner deletes, does not edit: ${teacherActions}`);
    assert.ok(!(await actionsOf(classmateUi, messageWith(classmateUi, 'Will the exam cover chapter 7?'))).includes('Delete message'));

    // the asker edits it; everyone sees the edit, still anonymous
    await own.hover();
    await own.getByRole('toolbar', { name: 'Message actions' }).getByRole('button', { name: 'Edit message' }).click();
    const editor = studentUi.page.getByRole('textbox', { name: 'Edit message' });
    await editor.fill('Will the exam cover chapters 7 and 8?');
    await editor.press('Enter');
    const edited = messageWith(classmateUi, 'chapters 7 and 8');
    await edited.locator('.edited-marker').waitFor({ timeout: LIVE_MS });
    assert.equal((await edited.locator('.anonymous-sender').textContent())?.trim(), 'Anonymous');

    // with the toggle off, the student speaks under their name again
    await toggle.uncheck();
    await studentUi.send('Thanks!');
    await messageWith(classmateUi, 'Thanks!').locator('.sender', { hasText: student.displayName }).waitFor({ timeout: LIVE_MS });
    for (const ui of [teacherUi, studentUi, classmateUi]) assert.deepEqual(ui.dialogs, []);
  });
  test('in a vanishing room, with a file: the asker edits and deletes it from another browser (desktop and phone), nobody else may', async () => {
    const [teacher, student, classmate] = [person('Uma', 'Teacher'), person('Vic', 'Student'), person('Wes', 'Classmate')];
    const group = `Lab ${randomBytes(2).toString('hex')}`;
    const t = await registered(platform.webUrl, teacher);
    const s = await registered(platform.webUrl, student);
    const c = await registered(platform.webUrl, classmate);
    const room = (await t.api('POST', '/groups', { name: group, memberIds: [s.id, c.id], ephemeral: true, anonymousQuestions: true })) as { id: string };
    const open = async (who: typeof teacher, options: BrowserContextOptions = DESKTOP) => {
      const ui = await ChatUi.loggedIn(await platform.browser.newContext(options), platform.webUrl, who);
      await ui.openConversation(group);
      return ui;
    };
    // the student on a laptop and on a phone (two browsers: nothing shared between them)
    const [laptop, phone, classmateUi] = [await open(student), await open(student, PHONE), await open(classmate)];

    await laptop.page.getByRole('checkbox', { name: 'Ask anonymously' }).check();
    const [chooser] = await Promise.all([laptop.page.waitForEvent('filechooser'), laptop.page.getByRole('button', { name: 'Attach files' }).click()]);
    await chooser.setFiles({ name: 'circuit.txt', mimeType: 'text/plain', buffer: Buffer.from('R1 = 10k, R2 = ?') });
    const box = laptop.page.getByRole('combobox', { name: `Ask ${group} anonymously` });
    await box.fill('Why does this circuit oscillate?');
    await laptop.page.getByRole('button', { name: 'Send', exact: true }).click();
    await messageWith(laptop, 'Why does this circuit oscillate?').locator('.anonymous-sender', { hasText: 'Anonymous (you asked this)' }).waitFor({ timeout: LIVE_MS });

    // the phone learns live that it is the student's (message:yours), a later browser from history (sentByYou)
    const onPhone = messageWith(phone, 'Why does this circuit oscillate?');
    await onPhone.locator('.anonymous-sender', { hasText: 'Anonymous (you asked this)' }).waitFor({ timeout: LIVE_MS });
    await onPhone.locator('.attachment-name', { hasText: 'circuit.txt' }).waitFor();
    await phone.page.screenshot({ path: '/tmp/rooms-anon-phone.png' });
    const later = await open(student);
    const inHistory = messageWith(later, 'Why does this circuit oscillate?');
    await inHistory.locator('.anonymous-sender', { hasText: 'Anonymous (you asked this)' }).waitFor({ timeout: LIVE_MS });
    assert.deepEqual((await actionsOf(later, inHistory)).filter((a) => a.includes('message')), ['Edit message', 'Delete message']);

    // the classmate sees the file and "Anonymous", no way to edit or delete it
    const seen = messageWith(classmateUi, 'Why does this circuit oscillate?');
    await seen.locator('.attachment-name', { hasText: 'circuit.txt' }).waitFor({ timeout: LIVE_MS });
    assert.equal((await seen.locator('.anonymous-sender').textContent())?.trim(), 'Anonymous');
    assert.ok(!(await actionsOf(classmateUi, seen)).some((a) => a === 'Edit message' || a === 'Delete message'));
    await classmateUi.page.screenshot({ path: '/tmp/rooms-anon-classmate-desktop.png' });
    // none of the student's three browsers moved their read pointer onto it (the receipt would tell)
    const receipts = (await t.api('GET', `/conversations/${room.id}/receipts`)) as { items: Array<{ userId: string; readSeq: number }> };
    assert.deepEqual(receipts.items.filter((r) => r.userId === s.id && r.readSeq > 0), [], JSON.stringify(receipts));

    // the phone edits it, the later browser deletes it; the classmate sees both
    await onPhone.click();
    const toolbar = onPhone.getByRole('toolbar', { name: 'Message actions' });
    await toolbar.getByRole('button', { name: 'Edit message' }).click();
    const editor = phone.page.getByRole('textbox', { name: 'Edit message' });
    await editor.fill('Why does this circuit oscillate at 1 kHz?');
    await phone.page.getByRole('button', { name: /^Save/ }).click();
    await messageWith(classmateUi, 'at 1 kHz').locator('.edited-marker').waitFor({ timeout: LIVE_MS });
    const toDelete = messageWith(later, 'at 1 kHz');
    await toDelete.waitFor({ timeout: LIVE_MS });
    await actionsOf(later, toDelete);
    await toDelete.getByRole('toolbar', { name: 'Message actions' }).getByRole('button', { name: 'Delete message' }).click();
    await later.page.getByRole('dialog', { name: 'Delete message?' }).getByRole('button', { name: 'Delete', exact: true }).click();
    await classmateUi.page.locator('.message-list .tombstone').waitFor({ timeout: LIVE_MS });
    for (const ui of [laptop, phone, later, classmateUi]) assert.deepEqual(ui.dialogs, []);
  });
});
