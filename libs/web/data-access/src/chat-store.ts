import { TYPING_SHOWN_MS } from '@chatbox/contracts';
import type { TAttachment, TConversation, TConversationEvent, TMessage, TNotice, TNotifyLevel, TPresenceEvent, TUser } from '@chatbox/contracts';
import { firstGapAfter, lastSeqOf, PendingMessage } from '@chatbox/web-util';
import { api, ApiError } from './api-client';
import { StoredJson, webStorage } from './browser-storage';
import { OwnAnonymous } from './own-anonymous';
import * as list from './conversation-list';
import { DraftStore } from './draft-store';
import { DesktopNotifier, NotificationPermissionState, shouldNotify } from './desktop-notifications';
import { ChangeSync } from './change-sync';
import { catchUp, fillGaps, refreshRange } from './history-sync';
import { CatchUpPlan, planCatchUp } from './catch-up-plan';
import { hasReacted } from './message-actions';
import { sendMessage, sendRead, sendTyping } from './message-transport';
import { Outbox } from './outbox';
import { applyPresence, batchToChanges, OnlineRefresher, withOnlineList } from './presence';
import { ReadSync } from './read-sync';
import { Receipts, withoutReader, withReceipt, withReceiptList } from './receipts';
import { openThread, ReplyThread, ThreadPlace, withReplies } from './reply-threads';
import { Typing, TypingSender, withoutTyping, withTyping } from './typing';
import { ChatSocket, connectSocket } from './socket-client';
import * as timelines from './timelines';
import { UploadTrays } from './upload-tray';
import type { Threads, ThreadState } from './timelines';

export type { ThreadState } from './timelines';
export type { ReplyThread } from './reply-threads';

export type ConnectionState = 'connecting' | 'online' | 'reconnecting';

export type ChatState = {
  me: TUser;
  conversations: readonly TConversation[];
  threads: Threads;
  /** live presence; overrides the `online` a User carried when it was fetched */
  presence: Readonly<Record<string, boolean>>;
  onlineUsers: readonly TUser[];
  activeId: string | null;
  connection: ConnectionState;
  /** per conversation: the read pointer it had when opened with unread messages ("New messages" goes after it) */
  unreadFrom: Readonly<Record<string, number>>;
  /** something the user should be told that no screen shows (removed from a group) */
  notice: string | null;
  /** the thread panel (version 2): a root and its replies */
  replyThread: ReplyThread | null;
  /** others' read pointers, for "Seen by" (version 2) */
  receipts: Receipts;
  /** who is typing where, until when (version 2) */
  typing: Typing;
  /** user id -> display name, learned from senders, peers and members (for "Seen by" and typing) */
  names: Readonly<Record<string, string>>;
  /** the message a search hit or a clicked notification opened: shown marked, its conversation's window around it */
  focus: { conversationId: string; messageId: string } | null;
  /** whether desktop notifications may be shown (asked for only from a click) */
  notifications: NotificationPermissionState;
  /** people who registered while this page is open, newest first (the `user` event) */
  newUsers: readonly TUser[];
};

/** How many of the newest registrations the sidebar lists. */
const NEW_USERS_SHOWN = 5;

const PAGE = 50;

/** Where a user's unsent messages wait across reloads (this browser; removed at logout). */
const outboxKey = (userId: string) => `chatbox.outbox.${userId}`;
/** The conversation the user was in, reopened on the next visit. */
const lastConversationKey = (userId: string) => `chatbox.lastConversation.${userId}`;
/** The thread open in it, reopened with it. */
const lastThreadKey = (userId: string) => `chatbox.lastThread.${userId}`;

/**
 * The browser's view of the chat, put together from focused parts: the conversation list
 * (conversation-list), message timelines (timelines, history-sync), the outgoing queue (outbox),
 * read pointers (read-sync) and presence. This class owns the socket and the state the screens
 * subscribe to, and routes events and answers to the part they concern.
 */
export class ChatStore {
  private state: ChatState;
  private readonly listeners = new Set<() => void>();
  private socket: ChatSocket | null = null;
  private everConnected = false;
  private visible = true;
  private stopped = false;
  private readonly outbox: Outbox;
  private readonly reads: ReadSync;
  private readonly online: OnlineRefresher;
  private readonly lastConversation: StoredJson<string>;
  private readonly lastThread: StoredJson<ThreadPlace>;
  private readonly ownAnonymous: OwnAnonymous;
  /** conversations whose reader scrolled up from the newest messages (the message list says so) */
  private readonly readingBack = new Set<string>();
  /** groups this user is leaving: their `removed` event is no news to them */
  private readonly leaving = new Set<string>();
  private readonly changes: ChangeSync;
  private readonly typingSender: TypingSender;
  // a clicked notification opens its message as a search hit does
  private readonly notifier = new DesktopNotifier((message) => void this.jumpTo(message).catch(() => undefined));
  readonly drafts = new DraftStore();
  /** Files being attached, per composer (the same keys as drafts). */
  readonly uploads = new UploadTrays();

  constructor(me: TUser) {
    this.state = {
      me, conversations: [], threads: {}, presence: {}, onlineUsers: [], activeId: null, connection: 'connecting', unreadFrom: {}, notice: null,
      replyThread: null, receipts: {}, typing: {}, names: { [me.id]: me.displayName },
      notifications: this.notifier.permission(), newUsers: [], focus: null,
    };
    this.changes = new ChangeSync(
      (id, after) => api.changes(id, after),
      (id, messages) => this.addMessages(id, messages),
      (notice) => {
        this.addNotices(notice.conversationId, [notice]);
        // one who left says nothing more about what was read here
        const gone = notice.kind === 'left' ? [notice.actor] : notice.kind === 'removed' ? notice.users : [];
        for (const u of gone) this.set({ receipts: withoutReader(this.state.receipts, notice.conversationId, u.id) });
      },
    );
    this.typingSender = new TypingSender((id) => sendTyping(this.socket, id));
    this.lastConversation = new StoredJson<string>(webStorage('localStorage'), lastConversationKey(me.id));
    this.lastThread = new StoredJson<ThreadPlace>(webStorage('localStorage'), lastThreadKey(me.id));
    this.ownAnonymous = new OwnAnonymous(me.id);
    this.outbox = new Outbox({
      send: (p) => sendMessage(this.socket, p),
      onSent: (m) => this.addMessages(m.conversationId, [m]),
      onChange: () => this.set({ threads: timelines.withPending(this.state.threads, this.outbox.all()) }),
      saved: new StoredJson<PendingMessage[]>(webStorage('localStorage'), outboxKey(me.id)),
    });
    this.state.threads = timelines.withPending({}, this.outbox.all());
    this.reads = new ReadSync((id, seq) => sendRead(this.socket, id, seq));
    this.online = new OnlineRefresher(
      () => api.onlineUsers(),
      (users) => this.set(withOnlineList(this.state, users)),
    );
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
    socket.on('message', (m) => this.onNewMessages(m.conversationId, [m]));
    socket.on('message:updated', (m) => this.onMessages(m.conversationId, [m]));
    socket.on('message:yours', (e) => {
      this.ownAnonymous.add(e.clientMsgId);
      // shown again: its edit and delete actions appear
      this.setThread(e.conversationId, { ...this.thread(e.conversationId) });
    });
    socket.on('messages:updated', (e) => this.onMessages(e.conversationId, e.messages));
    socket.on('notice', (n) => this.changes.receiveNotice(n));
    socket.on('receipt', (e) => {
      this.set({ receipts: withReceipt(this.state.receipts, e.conversationId, e.userId, e.readSeq) });
      // "Seen by" names the reader: one who never wrote here (or just turned sharing on) is looked up
      void this.learnMemberNames(e.conversationId, [e.userId]);
    });
    socket.on('typing', (e) => {
      if (e.userId !== this.state.me.id) this.set({ typing: withTyping(this.state.typing, e.conversationId, e.userId, Date.parse(e.until)) });
    });
    socket.on('messages', (e) => this.onNewMessages(e.conversationId, e.messages));
    socket.on('user', (e) => {
      if (e.user.id === this.state.me.id || this.state.newUsers.some((u) => u.id === e.user.id)) return;
      this.set({ newUsers: [e.user, ...this.state.newUsers].slice(0, NEW_USERS_SHOWN), conversations: list.withNewcomer(this.state.conversations) });
    });
    socket.on('conversation', (e) => this.onConversation(e));
    socket.on('presence', (e) => this.onPresence([e]));
    socket.on('presence:batch', (b) => this.onPresence(batchToChanges(b)));
    socket.on('read', (e) => {
      this.reads.learnStored(e.conversationId, e.readSeq);
      this.set({ conversations: list.withRead(this.state.conversations, e.conversationId, e.readSeq) });
    });
    void this.resync(false);
    // messages left unsent by an earlier page (a reload) go out now, in the order they were typed
    this.outbox.start();
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
    this.outbox.stop();
    this.reads.stop();
    this.online.stop();
  }

  /** Logging out: what this user left unsent in this browser is forgotten too. */
  forgetUser(): void {
    this.stop();
    this.outbox.clear();
    this.uploads.clear();
    this.lastConversation.write(null);
    this.lastThread.write(null);
  }

  /** The conversation the user was in last time, if they are still in it. */
  rememberedConversation(): string | null {
    const id = this.lastConversation.read('');
    return this.state.conversations.some((c) => c.id === id) ? id : null;
  }

  /** From a click only (browsers ignore or penalise asking at load). */
  async enableNotifications(): Promise<void> {
    this.set({ notifications: await this.notifier.ask() });
  }

  /** This user's notification level in one conversation. */
  async setNotify(id: string, level: TNotifyLevel): Promise<void> {
    this.upsertConversation(await api.setNotify(id, level));
  }

  dismissNotice(): void {
    this.set({ notice: null });
  }

  /** Marks the page hidden or shown; the conversation on screen is read only while shown. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.state.activeId) this.markRead(this.state.activeId);
  }

  /** Opens a conversation as the sidebar does: at its newest messages, also after a search hit. */
  select(id: string | null): void {
    if (id && this.thread(id).hasNewer) this.unloadThread(id);
    this.set({ focus: null });
    this.open(id);
  }

  /**
   * Opens a message found by search (or a clicked notification's) in its conversation: the messages around it (unless they are
   * held already), it marked; older and newer ones load as the reader scrolls either way.
   */
  async jumpTo(message: Pick<TMessage, 'id' | 'conversationId' | 'seq'>): Promise<void> {
    const id = message.conversationId;
    if (!this.thread(id).messages.some((m) => m.id === message.id)) {
      const conv = this.state.conversations.find((c) => c.id === id);
      // as for the newest page: the change stream is followed from before the window was read
      const cursor = conv?.lastEventSeq ?? 0;
      const page = await api.historyPage(id, { around: message.seq, limit: PAGE });
      this.ownAnonymous.learn(page.items);
      this.changes.follow(id, cursor);
      this.setThread(id, timelines.withWindow(this.thread(id), page.items, conv?.lastSeq ?? 0));
      this.addNotices(id, page.notices);
    }
    this.set({ focus: { conversationId: id, messageId: message.id } });
    this.open(id);
  }

  private open(id: string | null): void {
    const conv = this.state.conversations.find((c) => c.id === id);
    const unreadFrom = { ...this.state.unreadFrom };
    if (id) {
      // opened with unread messages: remember where they start, before the pointer moves past them
      if (conv && conv.unread > 0) unreadFrom[id] = conv.readSeq;
      else delete unreadFrom[id];
    }
    this.set({ activeId: id, unreadFrom, replyThread: this.state.replyThread?.conversationId === id ? this.state.replyThread : null });
    this.lastConversation.write(id);
    // the thread that was open in this conversation (before a reload) opens again; another closes
    const place = this.lastThread.read({ conversationId: '', rootId: '', rootSeq: 0 });
    if (id && !this.state.replyThread && place.conversationId === id) void this.openThread(id, place.rootId, place.rootSeq);
    else if (place.conversationId !== id) this.lastThread.write(null);
    if (!id) return;
    if (!this.thread(id).loaded) void this.loadLatest(id);
    void this.loadReceipts(id);
    this.markRead(id);
  }

  /** The message list's word: the reader left the newest messages (scrolled up), or came back to them. */
  setReadingBack(id: string, back: boolean): void {
    if (back) this.readingBack.add(id);
    else this.readingBack.delete(id);
  }

  isOnline = (user: { id: string; online?: boolean }): boolean => this.state.presence[user.id] ?? user.online ?? false;

  // ---- conversations -------------------------------------------------------------------------

  /** A conversation learned from an answer (created, opened, joined) or an event. */
  upsertConversation(conv: TConversation): void {
    this.reads.learnStored(conv.id, conv.readSeq);
    if (conv.lastMessage) this.ownAnonymous.learn([conv.lastMessage]);
    this.set({ conversations: list.upsert(this.state.conversations, conv) });
  }

  removeConversation(id: string): void {
    this.outbox.discardConversation(id);
    this.changes.forget(id);
    this.reads.forget(id);
    this.set({
      conversations: list.remove(this.state.conversations, id),
      threads: timelines.dropThread(this.state.threads, id),
      activeId: this.state.activeId === id ? null : this.state.activeId,
    });
  }

  /** Leaves a group; the `removed` event that follows is not reported as news. */
  async leaveGroup(id: string): Promise<void> {
    this.leaving.add(id);
    try {
      await api.removeMember(id, this.state.me.id);
      this.removeConversation(id);
    } finally {
      this.leaving.delete(id);
    }
  }

  async refreshConversations(): Promise<void> {
    const fresh = await api.conversations();
    this.learnNames(fresh.flatMap((c) => (c.peer ? [c.peer] : [])));
    for (const c of fresh) this.reads.learnStored(c.id, c.readSeq);
    // a question of one's own asked last, from another device: `sentByYou` in one's own list
    this.ownAnonymous.learn(fresh.flatMap((c) => (c.lastMessage ? [c.lastMessage] : [])));
    this.set({ conversations: list.mergeServerList(this.state.conversations, fresh) });
  }

  // ---- messages ------------------------------------------------------------------------------

  /** The page after a window's newest message (a window opened on a search hit). */
  async loadNewer(id: string): Promise<void> {
    const t = this.thread(id);
    if (!t.loaded || t.loadingNewer || !t.hasNewer) return;
    this.patchThread(id, { loadingNewer: true });
    try {
      const newer = await api.historyPage(id, { after: lastSeqOf(t.messages), limit: PAGE });
      this.ownAnonymous.learn(newer.items);
      this.setThread(id, timelines.withNewerPage(this.thread(id), newer.items, PAGE));
      this.addNotices(id, newer.notices);
      this.outbox.confirm(newer.items, this.state.me.id);
    } finally {
      this.patchThread(id, { loadingNewer: false });
    }
  }

  async loadOlder(id: string): Promise<void> {
    const t = this.thread(id);
    if (!t.loaded || t.loadingOlder || !t.hasOlder) return;
    this.patchThread(id, { loadingOlder: true });
    try {
      const older = await api.historyPage(id, { before: t.messages[0]?.seq, limit: PAGE });
      this.ownAnonymous.learn(older.items);
      this.setThread(id, timelines.withOlderPage(this.thread(id), older.items));
      this.addNotices(id, older.notices);
    } finally {
      this.patchThread(id, { loadingOlder: false });
    }
  }

  /**
   * Shows the message at once as pending; the outbox sends it, in order, until it is stored.
   * `attachments`: files already uploaded for it. `anonymous` (a group with anonymousQuestions):
   * sent without the sender's name; this browser remembers it as its own (OwnAnonymous), and it
   * does not end "is typing" (the composer sends none while asking anonymously).
   */
  send(conversationId: string, body: string, { attachments = [], anonymous = false }: { attachments?: readonly TAttachment[]; anonymous?: boolean } = {}): void {
    this.toNewest(conversationId);
    if (!anonymous) this.typingSender.sent(conversationId);
    const p = this.outbox.add(conversationId, body, undefined, { attachments, anonymous });
    if (anonymous) this.ownAnonymous.add(p.clientMsgId);
  }

  /** An anonymous message this browser sent (its author may edit and delete it). */
  isOwnAnonymous(m: TMessage): boolean {
    return this.ownAnonymous.has(m);
  }

  /** Edits one's own message; the answer (and the `message:updated` everyone gets) shows it. */
  async edit(conversationId: string, messageId: string, body: string): Promise<void> {
    const edited = await api.editMessage(conversationId, messageId, body);
    this.addMessages(conversationId, [edited]);
  }

  /** Deletes a message (one's own, or any in a group one owns); the tombstone arrives as `message:updated`. */
  async remove(conversationId: string, messageId: string): Promise<void> {
    await api.deleteMessage(conversationId, messageId);
  }

  /** Adds my reaction, or takes it back when I already reacted with that emoji (a chip's click). */
  async toggleReaction(message: TMessage, emoji: string): Promise<void> {
    if (hasReacted(message, emoji, this.state.me.id)) await api.unreact(message.conversationId, message.id, emoji);
    else await api.react(message.conversationId, message.id, emoji);
  }

  /**
   * Opens the thread panel on a root; its replies are fetched, later ones arrive live. A root the
   * timeline does not hold (older than its loaded pages) is fetched by its seq (`around=`).
   */
  async openThread(conversationId: string, rootId: string, rootSeq?: number): Promise<void> {
    const held = this.thread(conversationId).messages;
    const heldRoot = held.find((m) => m.id === rootId) ?? null;
    this.set({ replyThread: withReplies(openThread(conversationId, rootId, heldRoot), held) });
    const seq = heldRoot?.seq ?? rootSeq;
    if (seq !== undefined) this.lastThread.write({ conversationId, rootId, rootSeq: seq });
    const [replies, around] = await Promise.all([
      api.history(conversationId, { thread: rootId, limit: 100 }),
      heldRoot || seq === undefined ? [] : api.history(conversationId, { around: seq, limit: 1 }),
    ]);
    this.ownAnonymous.learn([...around, ...replies]);
    if (this.state.replyThread?.rootId === rootId) this.set({ replyThread: withReplies(this.state.replyThread, [...around, ...replies], true) });
  }

  closeThread(): void {
    this.set({ replyThread: null });
    this.lastThread.write(null);
  }

  /** A reply shows in the thread panel: a window on older messages beside it may stay. */
  sendReply(conversationId: string, rootId: string, body: string, attachments: readonly TAttachment[] = []): void {
    this.typingSender.sent(conversationId);
    this.outbox.add(conversationId, body, rootId, { attachments });
  }

  /** A keystroke in a composer: others see "… is typing" (throttled per the contract). */
  typed(conversationId: string): void {
    this.typingSender.typed(conversationId);
  }

  /** Sends a failed message again with the same clientMsgId, so the server stores it at most once. */
  retry(_conversationId: string, clientMsgId: string): void {
    this.outbox.retry(clientMsgId);
  }

  discard(_conversationId: string, clientMsgId: string): void {
    this.outbox.discard(clientMsgId);
  }

  /** New messages (not changes): a desktop notification for those that deserve one, then as any message. */
  private onNewMessages(conversationId: string, messages: TMessage[]): void {
    const conv = this.state.conversations.find((c) => c.id === conversationId);
    if (conv) {
      // a repeat delivery (at-least-once) is no news: only seqs beyond what the list knew
      const news = messages.filter((m) => m.seq > conv.lastSeq && !this.ownAnonymous.has(m) && shouldNotify(m, conv, this.state.me.id, !this.visible));
      for (const m of news) this.notifier.show(m, conv);
    }
    this.onMessages(conversationId, messages);
  }

  private onMessages(conversationId: string, messages: TMessage[]): void {
    if (!this.state.conversations.some((c) => c.id === conversationId)) {
      // a conversation we have not heard of yet (added while the event was in flight)
      void this.refreshConversations().catch(() => undefined);
    }
    // the change stream's order (eventSeq) where the timeline follows it; else straight in
    const loose = messages.filter((m) => !this.changes.receive(m));
    if (loose.length > 0) this.addMessages(conversationId, loose);
  }

  /** Messages confirmed by the server (ack, event or page) into the thread and the sidebar. */
  private addMessages(conversationId: string, messages: readonly TMessage[]): void {
    this.ownAnonymous.learn(messages);
    const viewing = this.isViewing(conversationId);
    this.learnNames(messages.map((m) => m.sender));
    let typing = this.state.typing;
    // their new message ends their "is typing" (an update of an older one does not)
    for (const m of messages) if (Date.now() - Date.parse(m.createdAt) < TYPING_SHOWN_MS) typing = withoutTyping(typing, conversationId, m.sender.id);
    this.set({ typing, replyThread: withReplies(this.state.replyThread, messages) });
    this.set({ conversations: list.withMessages(this.state.conversations, conversationId, messages, { selfId: this.state.me.id, viewing }) });
    const t = timelines.withConfirmed(this.thread(conversationId), messages);
    this.setThread(conversationId, t);
    this.outbox.confirm(messages, this.state.me.id);
    if (!t.loaded) return;
    if (firstGapAfter(t.messages) !== null) void this.fillGaps(conversationId);
    if (viewing) this.markRead(conversationId);
  }

  /** Membership notices of a loaded timeline (a page's, a live one); the people they name are learned. */
  private addNotices(id: string, notices: readonly TNotice[]): void {
    if (notices.length === 0) return;
    this.learnNames(notices.flatMap((n) => [n.actor, ...n.users]));
    this.setThread(id, timelines.withNotices(this.thread(id), notices));
  }

  private async loadLatest(id: string): Promise<void> {
    // the change stream is followed from before the page: what changes meanwhile is asked again, not lost
    const cursor = this.state.conversations.find((c) => c.id === id)?.lastEventSeq ?? 0;
    const latest = await api.historyPage(id, { limit: PAGE });
    this.ownAnonymous.learn(latest.items);
    this.changes.follow(id, cursor);
    const t = timelines.withLatestPage(this.thread(id), latest.items);
    this.setThread(id, t);
    this.addNotices(id, latest.notices);
    this.outbox.confirm(latest.items, this.state.me.id);
    if (firstGapAfter(t.messages) !== null) await this.fillGaps(id);
    if (this.isViewing(id)) this.markRead(id);
  }

  /** What one sends shows below the newest message: a window on older ones makes way for them. */
  private toNewest(id: string): void {
    if (this.thread(id).hasNewer) this.select(id);
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
        const loaded = Object.keys(this.state.threads).filter((id) => this.thread(id).loaded);
        const plans = new Map(loaded.map((id) => [id, this.planCatchUp(id)]));
        // after a long absence a timeline is not replayed change by change (CatchUpPlan)
        await Promise.all([...plans].map(([id, plan]) => plan !== 'replay' && this.reanchor(id, plan)));
        // a window on older messages is not followed live: it reaches the newest by its pages
        const ids = loaded.filter((id) => plans.get(id) === 'replay' && !this.thread(id).hasNewer);
        await Promise.all(ids.map((id) => this.catchUp(id)));
        // edits, deletions and reactions made while we were away: changes?after= each cursor
        await this.changes.catchUpAll();
        // the conversation on screen left unloaded by a reconnect that failed half-way
        const active = this.state.activeId;
        if (active && !this.thread(active).loaded) await this.loadLatest(active);
        if (this.state.activeId) void this.loadReceipts(this.state.activeId);
        // sends that were waiting for the connection go now (same clientMsgId: at most one copy)
        this.outbox.start();
        this.reads.resume();
      }
      if (this.state.activeId) this.markRead(this.state.activeId);
    } catch {
      // a failed resync leaves what is shown; the next reconnect tries again
    }
    this.online.schedule(0);
  }

  /** Forgets the loaded messages (its newest page loads when it is next needed); messages still to send stay. */
  private unloadThread(id: string): void {
    this.setThread(id, { ...timelines.EMPTY_THREAD, pending: this.thread(id).pending });
  }

  /** How far behind a loaded timeline is (the conversation list was just refreshed), and what to do about it. */
  private planCatchUp(id: string): CatchUpPlan {
    const conv = this.state.conversations.find((c) => c.id === id);
    if (!conv) return 'replay';
    const cursor = this.changes.cursorOf(id);
    const missedChanges = cursor === undefined ? conv.lastSeq - lastSeqOf(this.thread(id).messages) : conv.lastEventSeq - cursor;
    return planCatchUp({ missedChanges, onScreen: this.state.activeId === id, readingBack: this.readingBack.has(id) || this.thread(id).hasNewer });
  }

  /**
   * A timeline too far behind to replay: its change stream is dropped and followed again from
   * the conversation's lastEventSeq as the list just gave it (read before any page below, so a
   * change made meanwhile is asked for again, not lost). Messages still to send stay.
   */
  private async reanchor(id: string, plan: Exclude<CatchUpPlan, 'replay'>): Promise<void> {
    const t = this.thread(id);
    const conv = this.state.conversations.find((c) => c.id === id);
    this.changes.forget(id);
    if (plan === 'keep-place') {
      const cursor = conv?.lastEventSeq ?? 0;
      const [first, last] = [t.messages[0]?.seq ?? 1, lastSeqOf(t.messages)];
      // newer messages wait for "Jump to the newest"; those on screen get their current state
      this.patchThread(id, { hasNewer: (conv?.lastSeq ?? 0) > last });
      try {
        await refreshRange(id, first, last, (page) => this.addMessages(id, page), (notices) => this.addNotices(id, notices));
      } catch (err) {
        // half refreshed and followed by no change stream: loaded afresh once the connection is back (resync)
        this.unloadThread(id);
        throw err;
      }
      this.changes.follow(id, cursor);
      return;
    }
    this.unloadThread(id);
    if (plan === 'unload') return;
    // the "New messages" line goes where the unread ones start (in view once the reader scrolls back to it)
    if (conv && conv.unread > 0) this.set({ unreadFrom: { ...this.state.unreadFrom, [id]: conv.readSeq } });
    await this.loadLatest(id);
    // an open thread panel missed its replies' changes as well
    const panel = this.state.replyThread;
    if (panel?.conversationId === id) void this.openThread(id, panel.rootId, panel.root?.seq).catch(() => undefined);
  }

  // ---- read pointers, presence ----------------------------------------------------------------

  /**
   * Moves the read pointer to the newest message of a conversation on screen: at once on this
   * page, and to the server through ReadSync, which keeps sending until it is stored.
   */
  private markRead(id: string): void {
    const conv = this.state.conversations.find((c) => c.id === id);
    if (!conv || !this.visible) return;
    const messages = this.thread(id).messages;
    const seq = Math.max(conv.lastSeq, lastSeqOf(messages));
    const conversations = list.withRead(this.state.conversations, id, seq);
    if (conversations !== this.state.conversations) this.set({ conversations });
    this.reads.request(id, this.readableUpTo(messages, seq));
  }

  /**
   * Where the server's read pointer may go: not onto one's own anonymous questions at the end.
   * Moving it there the moment one is sent (before the others even receive it) would tell, by the
   * receipt every member gets, who asked. It moves past them with the next message of anyone;
   * the server counts them as read meanwhile (Conversation.unread).
   */
  private readableUpTo(messages: readonly TMessage[], seq: number): number {
    const bySeq = new Map(messages.map((m) => [m.seq, m]));
    // not past what this screen loaded: a message not loaded yet may be one's own question (a
    // browser that learns so from the page it is loading: sentByYou)
    let upTo = Math.min(seq, lastSeqOf(messages));
    for (let m = bySeq.get(upTo); m && this.ownAnonymous.has(m); m = bySeq.get(upTo)) upTo -= 1;
    return upTo;
  }

  private async loadReceipts(id: string): Promise<void> {
    try {
      const items = await api.receipts(id);
      this.set({ receipts: withReceiptList(this.state.receipts, id, items) });
      await this.learnMemberNames(id, items.map((r) => r.userId));
    } catch {
      // receipts are a courtesy: without them no "Seen by" shows
    }
  }

  /** Learns the names of a group's members when some of `userIds` are not known yet. */
  private async learnMemberNames(id: string, userIds: readonly string[]): Promise<void> {
    const conv = this.state.conversations.find((c) => c.id === id);
    if (!conv || conv.kind === 'direct' || userIds.every((u) => this.state.names[u])) return;
    try {
      this.learnNames((await api.members(id)).map((m) => m.user));
    } catch {
      // a name is a courtesy: without it the line says "someone"
    }
  }

  private learnNames(users: readonly { id: string; displayName: string }[]): void {
    if (users.every((u) => this.state.names[u.id] === u.displayName)) return;
    const names = { ...this.state.names };
    for (const u of users) names[u.id] = u.displayName;
    this.set({ names });
  }

  private onConversation(e: TConversationEvent): void {
    if (e.change === 'removed') {
      const known = this.state.conversations.find((c) => c.id === e.conversation.id);
      // removed by the owner (not a leave of one's own): say so, or the group just vanishes
      if (known && !this.leaving.has(known.id)) this.set({ notice: `You were removed from ${known.name}.` });
      this.removeConversation(e.conversation.id);
    } else this.upsertConversation(e.conversation);
  }

  private onPresence(changes: readonly TPresenceEvent[]): void {
    const { refresh, ...presence } = applyPresence(this.state, changes);
    this.set(presence);
    if (refresh) this.online.schedule(300);
  }

  // ---- state plumbing ---------------------------------------------------------------------------

  private isViewing(id: string): boolean {
    return this.state.activeId === id && this.visible;
  }

  thread(id: string): ThreadState {
    return timelines.threadOf(this.state.threads, id);
  }

  private setThread(id: string, t: ThreadState): void {
    if (t !== this.thread(id)) this.set({ threads: { ...this.state.threads, [id]: t } });
  }

  private patchThread(id: string, patch: Partial<ThreadState>): void {
    this.set({ threads: timelines.patchThread(this.state.threads, id, patch) });
  }

  private set(patch: Partial<ChatState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }
}
