'use client';
import { useEffect, useState } from 'react';
import type { TConversation } from '@chatbox/contracts';
import { api } from '@chatbox/web-data-access';
import { useChat } from './chat-context';

export type MentionPerson = { id: string; username: string; displayName: string };

const EMPTY: MentionPerson[] = [];

/**
 * Who `@` may complete to in a conversation: the peer of a direct chat, a group's members
 * (fetched once, when the first `@` is typed), and in `all`, which may have thousands of
 * members, the people search for what is typed (online people before anything is typed).
 */
export function useMentionPeople(conv: TConversation, query: string | null): MentionPerson[] {
  const me = useChat((s) => s.me);
  const online = useChat((s) => s.onlineUsers);
  const [members, setMembers] = useState<MentionPerson[] | null>(null);
  const [found, setFound] = useState<MentionPerson[]>(EMPTY);
  const asking = query !== null;

  useEffect(() => {
    if (!asking || conv.kind !== 'group' || members) return;
    let live = true;
    api.members(conv.id).then(
      (list) => live && setMembers(list.map((m) => m.user)),
      () => live && setMembers(EMPTY),
    );
    return () => {
      live = false;
    };
  }, [asking, conv.kind, conv.id, members]);

  useEffect(() => {
    if (conv.kind !== 'all' || !query) return;
    let live = true;
    // typed quickly, only the last query is asked
    const timer = setTimeout(() => {
      api.searchUsers(query, 8).then(
        (page) => live && setFound(page.items),
        () => undefined,
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [conv.kind, query]);

  const people = conv.kind === 'direct' ? (conv.peer ? [conv.peer] : EMPTY) : conv.kind === 'group' ? (members ?? EMPTY) : query ? found : online;
  return people.filter((p) => p.id !== me.id);
}
