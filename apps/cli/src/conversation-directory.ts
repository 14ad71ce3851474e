import type { TConversation } from '@chatbox/contracts';
import { conversationLabel } from './message-line';

/** The caller's conversations as the client knows them, found by id or by how they are typed. */
export class ConversationDirectory {
  private readonly byId = new Map<string, TConversation>();
  /** Usernames seen anywhere (peers, members, searches): what Tab offers before asking the server. */
  readonly usernames = new Set<string>();

  upsert(c: TConversation): void {
    this.byId.set(c.id, c);
    if (c.peer) this.usernames.add(c.peer.username);
  }

  remove(id: string): void {
    this.byId.delete(id);
  }

  get = (id: string): TConversation | undefined => this.byId.get(id);

  /** Most recent activity first, as the api lists them. */
  all(): TConversation[] {
    const when = (c: TConversation) => c.lastMessage?.createdAt ?? '';
    return [...this.byId.values()].sort((a, b) => when(b).localeCompare(when(a)));
  }

  /** A group (or `all`) by name, any case. */
  group(name: string): TConversation | undefined {
    const key = name.toLowerCase();
    return [...this.byId.values()].find((c) => c.kind !== 'direct' && c.name.toLowerCase() === key);
  }

  /** The direct conversation with a user, by username, any case. */
  direct(username: string): TConversation | undefined {
    const key = username.toLowerCase();
    return [...this.byId.values()].find((c) => c.kind === 'direct' && c.peer?.username.toLowerCase() === key);
  }

  groupNames = (): string[] => [...this.byId.values()].filter((c) => c.kind !== 'direct').map((c) => c.name);

  label(id: string): string {
    const c = this.byId.get(id);
    return c ? conversationLabel(c) : '#?';
  }
}
