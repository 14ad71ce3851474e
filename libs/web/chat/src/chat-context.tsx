'use client';
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ChatState, ChatStore } from '@chatbox/web-data-access';

const ChatContext = createContext<ChatStore | null>(null);
export const ChatProvider = ChatContext.Provider;

export function useStore(): ChatStore {
  const store = useContext(ChatContext);
  if (!store) throw new Error('useStore outside ChatProvider');
  return store;
}

/** Subscribes to one slice of the chat state; the selector must return parts of the state as they are. */
export function useChat<T>(select: (s: ChatState) => T): T {
  const store = useStore();
  const get = () => select(store.getState());
  return useSyncExternalStore(store.subscribe, get, get);
}
