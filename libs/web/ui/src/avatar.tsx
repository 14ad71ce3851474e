const PALETTE = ['#4f46e5', '#0891b2', '#059669', '#d97706', '#db2777', '#7c3aed', '#2563eb', '#dc2626'];

function colorOf(seed: string): string {
  let h = 0;
  for (const ch of seed) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

/** Initials on a colour derived from the id: stable per person, no images to load. */
export function Avatar({ id, name, size = 36 }: { id: string; name: string; size?: number }) {
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase())
    .join('');
  return (
    <span className="avatar" aria-hidden="true" style={{ background: colorOf(id), width: size, height: size, fontSize: size * 0.4 }}>
      {initials || '?'}
    </span>
  );
}
