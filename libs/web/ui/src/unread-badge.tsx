export function UnreadBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <span className="unread-badge" aria-label={`${count} unread`} data-testid="unread-badge">
      {count > 99 ? '99+' : count}
    </span>
  );
}

/** Unread messages that mention the reader (or @everyone): shown apart from the unread count. */
export function MentionBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <span className="mention-badge" aria-label={`${count} ${count === 1 ? 'mention' : 'mentions'}`} data-testid="mention-badge">
      @{count > 99 ? '99+' : count}
    </span>
  );
}
