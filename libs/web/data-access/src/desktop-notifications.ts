import type { TConversation, TMessage } from '@chatbox/contracts';
import { mentionsMe } from '@chatbox/web-util';

export type NotificationPermissionState = 'default' | 'granted' | 'denied' | 'unsupported';

/** The part of the Notification API the client uses (typed here: the lib also compiles for node tests). */
type ShownNotification = { onclick: (() => void) | null; close(): void };
type NotificationApi = {
  new (title: string, options: { body: string; tag: string }): ShownNotification;
  readonly permission: 'default' | 'granted' | 'denied';
  requestPermission(): Promise<'default' | 'granted' | 'denied'>;
};
const browser = globalThis as { Notification?: NotificationApi; focus?: () => void };

/**
 * Whether a newly arrived message deserves a desktop notification: only while the page is hidden,
 * never for one's own, and as the conversation's level says (`all`: every message; `mentions`:
 * those that mention me or everyone; `none`: nothing). The levels' defaults make that "direct
 * messages and mentions" for most people (API.md "Mentions and notifications").
 */
export function shouldNotify(message: TMessage, conv: Pick<TConversation, 'notify'>, selfId: string, hidden: boolean): boolean {
  if (!hidden || message.sender.id === selfId || message.deletedAt !== null) return false;
  switch (conv.notify) {
    case 'all':
      return true;
    case 'mentions':
      return mentionsMe(message, selfId);
    case 'none':
      return false;
  }
}

const PREVIEW_MAX = 140;

/** The notification's text: who and where, then the start of the body (the API shows it as text), or the files sent alone. */
export function notificationText(message: TMessage, conv: Pick<TConversation, 'kind' | 'name'>): { title: string; body: string } {
  const where = conv.kind === 'direct' ? '' : ` in ${conv.kind === 'group' ? conv.name : '#all'}`;
  const text = message.body.replace(/\s+/g, ' ').trim();
  // files alone (version 2): say what came, as the body is empty
  const files = message.attachments.length;
  const body = text || (files === 0 ? '' : files === 1 ? `Sent ${message.attachments[0].name}` : `Sent ${files} files`);
  return { title: `${message.sender.displayName}${where}`, body: body.length > PREVIEW_MAX ? `${body.slice(0, PREVIEW_MAX - 1)}…` : body };
}

/**
 * The browser's Notification API behind one small door. Permission is only ever asked from a
 * click (ask()), never at page load; without it, or without the API, show() does nothing.
 * Clicking a notification brings the tab forward and opens the message.
 */
export class DesktopNotifier {
  constructor(private readonly open: (message: TMessage) => void) {}

  permission(): NotificationPermissionState {
    return browser.Notification?.permission ?? 'unsupported';
  }

  async ask(): Promise<NotificationPermissionState> {
    return browser.Notification ? browser.Notification.requestPermission() : 'unsupported';
  }

  show(message: TMessage, conv: Pick<TConversation, 'kind' | 'name'>): void {
    const Api = browser.Notification;
    if (!Api || Api.permission !== 'granted') return;
    const { title, body } = notificationText(message, conv);
    // one per message: a repeat delivery replaces it instead of stacking up
    const notification = new Api(title, { body, tag: message.id });
    notification.onclick = () => {
      browser.focus?.();
      this.open(message);
      notification.close();
    };
  }
}
