'use client';
import { useEffect, useState } from 'react';
import { useRouter } from 'next/navigation';
import { api, ApiError, ChatStore, setPasswordChangeHandler, setUnauthorizedHandler } from '@chatbox/web-data-access';
import { ChatProvider, useChat, useStore } from './chat-context';
import { ConversationPane, EmptyPane } from './conversation-pane';
import { CreateGroupDialog } from './create-group-dialog';
import { FindDialog } from './find-dialog';
import { GroupSettingsDialog } from './group-settings-dialog';
import { Sidebar } from './sidebar';

const WIDE_SCREEN = '(min-width: 721px)';

/** The signed-in app: checks the session, then runs one ChatStore for the page's lifetime. */
export function ChatApp() {
  const router = useRouter();
  const [store, setStore] = useState<ChatStore | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    setUnauthorizedHandler(() => router.replace('/login?expired=1'));
    setPasswordChangeHandler(() => router.replace('/password'));
    let created: ChatStore | null = null;
    let cancelled = false;
    api.me().then(
      (me) => {
        if (cancelled) return;
        created = new ChatStore(me);
        created.start();
        setStore(created);
      },
      (err: unknown) => {
        if (err instanceof ApiError && err.status === 401) router.replace('/login');
        else setFailure(err instanceof Error ? err.message : 'Cannot load ChatBox');
      },
    );
    return () => {
      cancelled = true;
      created?.stop();
    };
  }, [router]);

  useEffect(() => {
    if (!store) return;
    const sync = () => store.setVisible(document.visibilityState === 'visible');
    sync();
    document.addEventListener('visibilitychange', sync);
    return () => document.removeEventListener('visibilitychange', sync);
  }, [store]);

  if (failure) return <div className="splash">{failure}</div>;
  if (!store) return <div className="splash">Loading ChatBox…</div>;
  return (
    <ChatProvider value={store}>
      <ChatLayout onLoggedOut={() => router.replace('/login')} />
    </ChatProvider>
  );
}

type DialogName = 'find' | 'create' | 'settings' | null;

function ChatLayout({ onLoggedOut }: { onLoggedOut: () => void }) {
  const store = useStore();
  const activeId = useChat((s) => s.activeId);
  const connection = useChat((s) => s.connection);
  const allId = useChat((s) => s.conversations.find((c) => c.kind === 'all')?.id);
  const unread = useChat((s) => s.conversations.reduce((n, c) => n + c.unread, 0));
  const notice = useChat((s) => s.notice);
  const [dialog, setDialog] = useState<DialogName>(null);

  // the conversation the user was in last time opens again; otherwise, on a wide screen there is
  // room for `all` from the start, while on a phone the list comes first
  useEffect(() => {
    if (!allId || store.getState().activeId) return;
    const last = store.rememberedConversation();
    if (last) store.select(last);
    else if (window.matchMedia(WIDE_SCREEN).matches) store.select(allId);
  }, [allId, store]);

  // the tab tells how much is unread, also while the user is in another tab
  useDocumentTitle(unread > 0 ? `(${unread > 99 ? '99+' : unread}) ChatBox` : 'ChatBox');

  const logout = async () => {
    await api.logout().catch(() => undefined);
    store.forgetUser();
    onLoggedOut();
  };

  return (
    <div className="chat-layout" data-view={activeId ? 'conversation' : 'list'}>
      <Sidebar onFind={() => setDialog('find')} onCreate={() => setDialog('create')} onLogout={() => void logout()} />
      <main className="pane">
        {connection !== 'online' && (
          <div className={`connection-banner ${connection}`} role="status">
            {connection === 'reconnecting' ? 'Connection lost. Reconnecting…' : 'Connecting…'}
          </div>
        )}
        {activeId ? <ConversationPane conversationId={activeId} onSettings={() => setDialog('settings')} /> : <EmptyPane />}
      </main>
      {notice && (
        // outside the pane: on a phone showing the list, the pane is hidden
        <div className="toast" role="status">
          {notice}
          <button type="button" className="link-button" onClick={() => store.dismissNotice()}>
            OK
          </button>
        </div>
      )}
      {dialog === 'find' && <FindDialog onClose={() => setDialog(null)} />}
      {dialog === 'create' && <CreateGroupDialog onClose={() => setDialog(null)} />}
      {dialog === 'settings' && activeId && <GroupSettingsDialog conversationId={activeId} onClose={() => setDialog(null)} />}
    </div>
  );
}

/**
 * Keeps the tab's title. Next streams the page's metadata <title> in after the first render of a
 * dynamically rendered page, which would overwrite a title set once; so it is set again whenever
 * the head changes it.
 */
function useDocumentTitle(title: string): void {
  useEffect(() => {
    const apply = () => {
      if (document.title !== title) document.title = title;
    };
    apply();
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { subtree: true, childList: true, characterData: true });
    return () => observer.disconnect();
  }, [title]);
}
