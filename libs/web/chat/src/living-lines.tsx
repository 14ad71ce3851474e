'use client';
import { useEffect, useState } from 'react';
import { namesLine, typingLine, typingNow } from '@chatbox/web-data-access';
import { useChat } from './chat-context';

/** "Seen by Alice, Bob +3" under the newest message others have read; every name in the title. */
export function SeenBy({ userIds }: { userIds: readonly string[] }) {
  const names = useChat((s) => s.names);
  const all = userIds.map((id) => names[id] ?? 'someone');
  return (
    <p className="seen-by" data-testid="seen-by" title={`Seen by ${all.join(', ')}`}>
      Seen by {namesLine(all)}
    </p>
  );
}

/** "Alice is typing…" while their `until` lasts (re-checked each second) or until their message. */
export function TypingLine({ conversationId }: { conversationId: string }) {
  const typing = useChat((s) => s.typing);
  const names = useChat((s) => s.names);
  const [now, setNow] = useState(() => Date.now());
  const who = typingNow(typing, conversationId, now);
  useEffect(() => {
    setNow(Date.now());
    if (Object.keys(typing[conversationId] ?? {}).length === 0) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [typing, conversationId]);
  return (
    <p className="typing-line" role="status" aria-live="polite" data-testid="typing">
      {typingLine(who.map((id) => names[id] ?? 'Someone'))}
    </p>
  );
}
