/** Each at least 4.5:1 against the white initials (WCAG AA for small text). */
const PALETTE = ['#4f46e5', '#0e7490', '#047857', '#b45309', '#be185d', '#7c3aed', '#2563eb', '#b91c1c'];

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
