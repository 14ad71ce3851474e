import { KeyValueStorage, webStorage } from './browser-storage';

/**
 * What someone typed but did not send, per conversation. Kept in sessionStorage so switching
 * conversations or reloading the tab never loses it (it stays in this tab only).
 */
export class DraftStore {
  private readonly key = (conversationId: string) => `chatbox.draft.${conversationId}`;

  constructor(private readonly storage: KeyValueStorage | null = webStorage('sessionStorage')) {}

  get(conversationId: string): string {
    try {
      return this.storage?.getItem(this.key(conversationId)) ?? '';
    } catch {
      return '';
    }
  }

  set(conversationId: string, text: string): void {
    try {
      if (text) this.storage?.setItem(this.key(conversationId), text);
      else this.storage?.removeItem(this.key(conversationId));
    } catch {
      // storage full or disabled: the draft lives as long as the composer does
    }
  }
}
