export function PresenceDot({ online }: { online: boolean }) {
  return <span className={online ? 'presence-dot online' : 'presence-dot'} role="img" aria-label={online ? 'online' : 'offline'} />;
}
