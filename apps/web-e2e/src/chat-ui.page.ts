import assert from 'node:assert/strict';
import type { BrowserContext, Locator, Page } from 'playwright-core';

export type Person = { username: string; displayName: string; password: string };

/** What a person does in the ChatBox UI, in the words of the UI (labels, roles, visible text). */
export class ChatUi {
  readonly dialogs: string[] = [];

  private constructor(readonly page: Page) {
    // any alert/confirm/prompt is a script that ran; the tests assert there are none
    page.on('dialog', (d) => {
      this.dialogs.push(d.message());
      void d.dismiss();
    });
  }

  static async open(context: BrowserContext, url: string): Promise<ChatUi> {
    const page = await context.newPage();
    page.setDefaultTimeout(10_000); // a stuck step fails fast; the whole file stays well under two minutes
    await page.goto(url);
    return new ChatUi(page);
  }

  /** A new page of `context` on the login form, logged in as `p` (registered already). */
  static async loggedIn(context: BrowserContext, webUrl: string, p: Person): Promise<ChatUi> {
    const ui = await ChatUi.open(context, `${webUrl}/login`);
    await ui.logIn(p);
    return ui;
  }

  async signUp(p: Person): Promise<void> {
    await this.page.getByLabel('Username').fill(p.username);
    await this.page.getByLabel('Display name').fill(p.displayName);
    await this.page.getByLabel('Password').fill(p.password);
    await this.page.getByRole('button', { name: 'Sign up' }).click();
    await this.waitForChat();
  }

  async logIn(p: Person): Promise<void> {
    await this.page.getByLabel('Username').fill(p.username);
    await this.page.getByLabel('Password').fill(p.password);
    await this.page.getByRole('button', { name: 'Log in' }).click();
    await this.waitForChat();
  }

  private async waitForChat(): Promise<void> {
    await this.page.waitForURL('**/chat');
    await this.page.getByRole('navigation', { name: 'Conversations' }).waitFor();
    // the live connection is up (the sidebar says so) before anyone relies on events
    await this.page.locator('.me-status', { hasText: 'online' }).waitFor();
  }

  conversationButton(title: string): Locator {
    return this.page.locator(`button.conversation-item[data-conversation="${title}"]`);
  }

  async openConversation(title: string, timeout = 5000): Promise<void> {
    await this.conversationButton(title).click({ timeout });
    await this.page.getByRole('heading', { level: 1, name: title }).waitFor();
  }

  async unreadBadge(title: string): Promise<string> {
    return (await this.conversationButton(title).getByTestId('unread-badge').textContent({ timeout: 5000 })) ?? '';
  }

  composer(): Locator {
    return this.page.getByRole('combobox', { name: /^Message / });
  }

  /** Sends what the composer holds as a person would: Enter at a keyboard, the Send button on a touch screen. */
  async submit(): Promise<void> {
    if (await this.isTouch()) await this.page.getByRole('button', { name: 'Send', exact: true }).tap();
    else await this.composer().press('Enter');
  }

  private touch: boolean | undefined;
  async isTouch(): Promise<boolean> {
    // in the page: the same question the composer asks (the test compiles without the DOM library)
    this.touch ??= await this.page.evaluate(() => (globalThis as unknown as { matchMedia: (q: string) => { matches: boolean } }).matchMedia('(pointer: coarse)').matches);
    return this.touch ?? false;
  }

  /** Types a message and sends it; resolves when the server confirmed it (no longer pending). */
  async send(text: string): Promise<void> {
    const box = this.composer();
    await box.fill(text);
    await this.submit();
    assert.equal(await box.inputValue(), '', 'the composer is cleared after sending');
    await this.page.locator('[data-testid="message"][data-status="sent"] .message-body', { hasText: text }).last().waitFor({ timeout: 5000 });
  }

  /** Resolves once a confirmed message with exactly this text is on screen. */
  async seeMessage(text: string, timeout: number): Promise<Locator> {
    const body = this.messageBodies().filter({ hasText: text }).last();
    await body.waitFor({ timeout });
    return body;
  }

  messageBodies(): Locator {
    return this.page.locator('[data-testid="message"][data-status="sent"] .message-body');
  }

  async createGroup(name: string, visibility: 'private' | 'public', memberUsername?: string): Promise<void> {
    await this.page.getByRole('button', { name: /New group/ }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Create a group' });
    await dialog.getByLabel('Name', { exact: true }).fill(name);
    await dialog.getByLabel(visibility === 'private' ? /Private:/ : /Public:/).check();
    if (memberUsername) {
      await dialog.getByRole('combobox', { name: 'Add people' }).fill(memberUsername);
      await dialog.getByRole('option', { name: new RegExp(`@${memberUsername}`) }).click();
      await dialog.getByRole('list', { name: 'Chosen people' }).waitFor();
    }
    await dialog.getByRole('button', { name: 'Create group' }).click();
    await dialog.waitFor({ state: 'detached' });
    await this.page.getByRole('heading', { level: 1, name: name }).waitFor();
  }

  async joinGroup(name: string): Promise<void> {
    await this.page.getByRole('button', { name: /Find people/ }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Find people and groups' });
    await dialog.getByRole('tab', { name: 'Groups' }).click();
    await dialog.getByRole('searchbox', { name: 'Search groups' }).fill(name);
    await dialog.getByRole('listitem').filter({ hasText: name }).getByRole('button', { name: 'Join' }).click();
    await dialog.waitFor({ state: 'detached' });
    await this.page.getByRole('heading', { level: 1, name }).waitFor();
  }

  async openDirectWith(username: string): Promise<void> {
    await this.page.getByRole('button', { name: /Find people/ }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Find people and groups' });
    await dialog.getByRole('searchbox', { name: 'Search people' }).fill(username);
    await dialog.getByRole('button', { name: `Message ${username}` }).click();
    await dialog.waitFor({ state: 'detached' });
  }
}
