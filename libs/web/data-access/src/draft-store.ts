/**
 * What someone typed but did not send, per conversation. Kept in sessionStorage so switching
 * conversations or reloading the tab never loses it (it stays in this tab only).
 */
export class DraftStore {
  private readonly key = (conversationId: string) => `chatbox.draft.${conversationId}`;

  get(conversationId: string): string {
    try {
      return sessionStorage.getItem(this.key(conversationId)) ?? '';
    } catch {
      return '';
    }
  }

  set(conversationId: string, text: string): void {
    try {
      if (text) sessionStorage.setItem(this.key(conversationId), text);
      else sessionStorage.removeItem(this.key(conversationId));
    } catch {
      // storage full or disabled: the draft lives as long as the composer does
    }
  }
}
