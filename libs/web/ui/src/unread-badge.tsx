export function UnreadBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <span className="unread-badge" aria-label={`${count} unread`} data-testid="unread-badge">
      {count > 99 ? '99+' : count}
    </span>
  );
}
