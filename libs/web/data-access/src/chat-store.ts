import type { TConversation, TConversationEvent, TMessage, TPresenceEvent, TReadEvent, TUser } from '@chatbox/contracts';
import {
  applyIncoming,
  applyRead,
  firstGapAfter,
  lastSeqOf,
  mergeMessages,
  PendingMessage,
  sendRetryDelay,
  settlePending,
  sortByActivity,
} from '@chatbox/web-util';
import { api, ApiError } from './api-client';
import { ChatSocket, connectSocket } from './socket-client';
import { catchUp, fillGaps } from './history-sync';
import { sendMessage, sendRead } from './message-transport';
import { DraftStore } from './draft-store';

export type ConnectionState = 'connecting' | 'online' | 'reconnecting';

export type ThreadState = {
  messages: readonly TMessage[];
  pending: readonly PendingMessage[];
  loaded: boolean;
  loadingOlder: boolean;
  /** seqs start at 1 with no gaps, so anything above 1 held first means older pages exist */
  hasOlder: boolean;
};

export type ChatState = {
  me: TUser;
  conversations: readonly TConversation[];
  threads: Readonly<Record<string, ThreadState>>;
  /** live presence; overrides the `online` a User carried when it was fetched */
  presence: Readonly<Record<string, boolean>>;
  onlineUsers: readonly TUser[];
  activeId: string | null;
  connection: ConnectionState;
};

const PAGE = 50;
const EMPTY_THREAD: ThreadState = { messages: [], pending: [], loaded: false, loadingOlder: false, hasOlder: false };

/**
 * The browser's view of the chat: conversations, message threads, pending sends, presence and
 * the connection. Live events and REST pages meet here: messages are deduplicated by id, kept
 * in seq order, and holes (a seq skipped, a reconnect) are filled from the history API.
 */
export class ChatStore {
  private state: ChatState;
  private readonly listeners = new Set<() => void>();
  private socket: ChatSocket | null = null;
  private everConnected = false;
  private visible = true;
  private stopped = false;
  private onlineRefresh: ReturnType<typeof setTimeout> | null = null;
  /** highest read seq sent per conversation (a failed send forgets it, so it is sent again) */
  private readonly readSent = new Map<string, number>();
  readonly drafts = new DraftStore();

  constructor(me: TUser) {
    this.state = { me, conversations: [], threads: {}, presence: {}, onlineUsers: [], activeId: null, connection: 'connecting' };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getState = (): ChatState => this.state;

  start(): void {
    const socket = connectSocket();
    this.socket = socket;
    socket.on('connect', () => {
      this.set({ connection: 'online' });
      // first connect and every reconnect: whatever happened while we were not listening is fetched
      void this.resync(this.everConnected);
      this.everConnected = true;
    });
    socket.on('disconnect', (reason) => {
      if (this.stopped) return;
      this.set({ connection: 'reconnecting' });
      // the server closed it (logout, revoked session): Socket.IO does not retry on its own then
      if (reason === 'io server disconnect') this.recover(socket);
    });
    socket.on('connect_error', (err) => {
      this.set({ connection: this.everConnected ? 'reconnecting' : 'connecting' });
      // a refused handshake (Socket.IO does not retry those) may mean the session ended, or that
      // the server could not check it for a moment ("unavailable")
      if (err.message === 'unauthorized' || err.message === 'unavailable') this.recover(socket);
    });
    socket.on('message', (m) => this.onMessages(m.conversationId, [m]));
    socket.on('messages', (e) => this.onMessages(e.conversationId, e.messages));
    socket.on('conversation', (e) => this.onConversation(e));
    socket.on('presence', (e) => this.onPresence([e]));
    socket.on('presence:batch', (b) => this.onPresence([...b.online.map((userId) => ({ userId, online: true })), ...b.offline.map((userId) => ({ userId, online: false }))]));
    socket.on('read', (e) => this.onRead(e));
    void this.resync(false);
  }

  /** Back to the login page if the session ended (/me answers 401 then), else connect again. */
  private recover(socket: ChatSocket): void {
    api.checkSession().then(
      () => socket.connect(),
      (err: unknown) => {
        if (!(err instanceof ApiError && err.status === 401)) setTimeout(() => !this.stopped && socket.connect(), 2000);
      },
    );
  }

  stop(): void {
    this.stopped = true;
    this.socket?.disconnect();
    this.socket = null;
    if (this.onlineRefresh) clearTimeout(this.onlineRefresh);
  }

  /** Marks the page hidden or shown; the conversation on screen is read only while shown. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.state.activeId) this.markRead(this.state.activeId);
  }

  select(id: string | null): void {
    this.set({ activeId: id });
    if (!id) return;
    if (!this.thread(id).loaded) void this.loadLatest(id);
    this.markRead(id);
  }

  isOnline = (user: { id: string; online?: boolean }): boolean => this.state.presence[user.id] ?? user.online ?? false;

  // ---- conversations -------------------------------------------------------------------------

  /** A conversation learned from an answer (created, opened, joined) or an event. */
  upsertConversation(conv: TConversation): void {
    const others = this.state.conversations.filter((c) => c.id !== conv.id);
    this.set({ conversations: sortByActivity([conv, ...others]) });
  }

  removeConversation(id: string): void {
    const threads = { ...this.state.threads };
    delete threads[id];
    this.set({
      conversations: this.state.conversations.filter((c) => c.id !== id),
      threads,
      activeId: this.state.activeId === id ? null : this.state.activeId,
    });
  }

  async refreshConversations(): Promise<void> {
    const list = await api.conversations();
    this.set({ conversations: sortByActivity(list) });
  }

  // ---- messages ------------------------------------------------------------------------------

  async loadOlder(id: string): Promise<void> {
    const t = this.thread(id);
    if (!t.loaded || t.loadingOlder || !t.hasOlder) return;
    this.patchThread(id, { loadingOlder: true });
    try {
      const older = await api.history(id, { before: t.messages[0]?.seq, limit: PAGE });
      const messages = mergeMessages(this.thread(id).messages, older);
      this.patchThread(id, { messages, hasOlder: (messages[0]?.seq ?? 1) > 1 });
    } finally {
      this.patchThread(id, { loadingOlder: false });
    }
  }

  /** Shows the message at once as pending; it becomes a real message when the server confirms it. */
  send(conversationId: string, body: string): void {
    const pending: PendingMessage = {
      clientMsgId: crypto.randomUUID(),
      conversationId,
      body,
      createdAt: new Date().toISOString(),
      status: 'sending',
    };
    this.patchThread(conversationId, { pending: [...this.thread(conversationId).pending, pending] });
    void this.deliver(pending);
  }

  /** Sends a failed message again with the same clientMsgId, so the server stores it at most once. */
  retry(conversationId: string, clientMsgId: string): void {
    const p = this.thread(conversationId).pending.find((x) => x.clientMsgId === clientMsgId);
    if (!p) return;
    const again: PendingMessage = { ...p, status: 'sending', error: undefined };
    this.replacePending(conversationId, again);
    void this.deliver(again);
  }

  discard(conversationId: string, clientMsgId: string): void {
    const t = this.thread(conversationId);
    this.patchThread(conversationId, { pending: t.pending.filter((p) => p.clientMsgId !== clientMsgId) });
  }

  private async deliver(p: PendingMessage, attempt = 0): Promise<void> {
    try {
      const message = await sendMessage(this.socket, p);
      this.addMessages(p.conversationId, [message]);
    } catch (err) {
      // confirmed meanwhile through an event? then nothing is pending any more
      if (!this.thread(p.conversationId).pending.some((x) => x.clientMsgId === p.clientMsgId)) return;
      const wait = sendRetryDelay(err instanceof ApiError ? err.code : undefined, attempt);
      if (wait !== null) {
        // still "sending": the server asked for a moment
        setTimeout(() => !this.stopped && void this.deliver(p, attempt + 1), wait);
        return;
      }
      const error = err instanceof ApiError && err.code !== 'network' ? err.message : 'Not sent';
      this.replacePending(p.conversationId, { ...p, status: 'failed', error });
    }
  }

  private onMessages(conversationId: string, messages: TMessage[]): void {
    if (!this.state.conversations.some((c) => c.id === conversationId)) {
      // a conversation we have not heard of yet (added while the event was in flight)
      void this.refreshConversations().catch(() => undefined);
    }
    this.addMessages(conversationId, messages);
  }

  /** Messages confirmed by the server (ack, event or page) into the thread and the sidebar. */
  private addMessages(conversationId: string, messages: TMessage[]): void {
    const viewing = this.isViewing(conversationId);
    const selfId = this.state.me.id;
    this.set({
      conversations: sortByActivity(
        this.state.conversations.map((c) =>
          c.id === conversationId ? messages.reduce((acc, m) => applyIncoming(acc, m, { selfId, viewing }), c) : c,
        ),
      ),
    });
    const t = this.thread(conversationId);
    const pending = settlePending(t.pending, messages, selfId);
    if (!t.loaded) {
      if (pending !== t.pending) this.patchThread(conversationId, { pending });
      return;
    }
    const merged = mergeMessages(t.messages, messages);
    this.patchThread(conversationId, { messages: merged, pending });
    if (firstGapAfter(merged) !== null) void this.fillGaps(conversationId);
    if (viewing) this.markRead(conversationId);
  }

  private async loadLatest(id: string): Promise<void> {
    const latest = await api.history(id, { limit: PAGE });
    const t = this.thread(id);
    const messages = mergeMessages(t.messages, latest);
    this.patchThread(id, {
      messages,
      pending: settlePending(t.pending, latest, this.state.me.id),
      loaded: true,
      hasOlder: (messages[0]?.seq ?? 1) > 1,
    });
    if (firstGapAfter(messages) !== null) await this.fillGaps(id);
    if (this.isViewing(id)) this.markRead(id);
  }

  private fillGaps(id: string): Promise<void> {
    return fillGaps(id, () => this.thread(id).messages, (page) => this.addMessages(id, page));
  }

  private catchUp(id: string): Promise<void> {
    return catchUp(id, () => this.thread(id).messages, (page) => this.addMessages(id, page));
  }

  private async resync(afterReconnect: boolean): Promise<void> {
    try {
      await this.refreshConversations();
      if (afterReconnect) {
        const ids = Object.keys(this.state.threads).filter((id) => this.thread(id).loaded);
        await Promise.all(ids.map((id) => this.catchUp(id)));
        this.retryStuckSends();
      }
      if (this.state.activeId) this.markRead(this.state.activeId);
    } catch {
      // a failed resync leaves what is shown; the next reconnect tries again
    }
    this.scheduleOnlineRefresh(0);
  }

  /** Sends still waiting when the connection dropped go again (same clientMsgId: at most one copy). */
  private retryStuckSends(): void {
    for (const t of Object.values(this.state.threads)) {
      for (const p of t.pending) if (p.status === 'sending') void this.deliver(p);
    }
  }

  // ---- read pointers, presence ----------------------------------------------------------------

  /**
   * Moves the read pointer to the newest message of a conversation on screen. The local readSeq
   * already moves when a message arrives in view, so what was sent is tracked on its own.
   */
  private markRead(id: string): void {
    const conv = this.state.conversations.find((c) => c.id === id);
    const seq = Math.max(conv?.lastSeq ?? 0, lastSeqOf(this.thread(id).messages));
    if (!conv || !this.visible || seq <= (this.readSent.get(id) ?? 0)) return;
    this.readSent.set(id, seq);
    this.patchConversation(id, (c) => applyRead({ ...c, lastSeq: Math.max(c.lastSeq, seq) }, seq));
    void sendRead(this.socket, id, seq).then((ok) => {
      // not stored: forget it, so the next chance sends it again
      if (!ok && this.readSent.get(id) === seq) this.readSent.delete(id);
    });
  }

  private onRead(e: TReadEvent): void {
    this.patchConversation(e.conversationId, (c) => applyRead(c, e.readSeq));
  }

  private onConversation(e: TConversationEvent): void {
    if (e.change === 'removed') this.removeConversation(e.conversation.id);
    else this.upsertConversation(e.conversation);
  }

  private onPresence(changes: readonly TPresenceEvent[]): void {
    const presence = { ...this.state.presence };
    for (const e of changes) presence[e.userId] = e.online;
    const wentOffline = new Set(changes.filter((e) => !e.online).map((e) => e.userId));
    this.set({ presence, onlineUsers: this.state.onlineUsers.filter((u) => !wentOffline.has(u.id)) });
    if (changes.some((e) => e.online && !this.state.onlineUsers.some((u) => u.id === e.userId))) this.scheduleOnlineRefresh(300);
  }

  private scheduleOnlineRefresh(delayMs: number): void {
    if (this.onlineRefresh) return;
    this.onlineRefresh = setTimeout(() => {
      this.onlineRefresh = null;
      api.onlineUsers().then(
        (users) => {
          const presence = { ...this.state.presence };
          for (const u of users) presence[u.id] = true;
          this.set({ onlineUsers: users, presence });
        },
        () => undefined,
      );
    }, delayMs);
  }

  // ---- state plumbing ---------------------------------------------------------------------------

  private isViewing(id: string): boolean {
    return this.state.activeId === id && this.visible;
  }

  thread(id: string): ThreadState {
    return this.state.threads[id] ?? EMPTY_THREAD;
  }

  private patchThread(id: string, patch: Partial<ThreadState>): void {
    this.set({ threads: { ...this.state.threads, [id]: { ...this.thread(id), ...patch } } });
  }

  private replacePending(id: string, p: PendingMessage): void {
    const t = this.thread(id);
    this.patchThread(id, { pending: t.pending.map((x) => (x.clientMsgId === p.clientMsgId ? p : x)) });
  }

  private patchConversation(id: string, fn: (c: TConversation) => TConversation): void {
    this.set({ conversations: this.state.conversations.map((c) => (c.id === id ? fn(c) : c)) });
  }

  private set(patch: Partial<ChatState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }
}
