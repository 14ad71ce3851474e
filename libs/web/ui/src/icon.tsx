/** Small line icons drawn inline: no icon font, no emoji (which some systems cannot draw). */
const PATHS = {
  search: 'M11 4a7 7 0 1 0 4.2 12.6l4.1 4.1 1.4-1.4-4.1-4.1A7 7 0 0 0 11 4zm0 2a5 5 0 1 1 0 10 5 5 0 0 1 0-10z',
  plus: 'M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6z',
  lock: 'M12 3a4 4 0 0 0-4 4v3H6v11h12V10h-2V7a4 4 0 0 0-4-4zm-2 4a2 2 0 1 1 4 0v3h-4zm-2 5h8v7H8z',
  hash: 'M9.5 3 9 8H5v2h3.8l-.4 4H4v2h4.2l-.5 5h2l.5-5h4l-.5 5h2l.5-5H20v-2h-3.6l.4-4H21V8h-4l.5-5h-2L15 8h-4l.5-5zm1.3 7h4l-.4 4h-4z',
  chat: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm0 2v10h2v2l2.5-2H20V6z',
  smile: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 2a8 8 0 1 1 0 16 8 8 0 0 1 0-16zM8.5 8a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm7 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zM7 13.5a5 5 0 0 0 10 0h-2a3 3 0 0 1-6 0z',
  reply: 'M10 5v4c6 0 10 3 11 10-2.5-3.5-6-5-11-5v4l-7-6.5z',
  pencil: 'M15.5 3.5l5 5L9 20H4v-5zm0 2.8L6 15.8V18h2.2l9.5-9.5z',
  trash: 'M9 3h6v2h5v2H4V5h5zM6 9h12l-1 12H7zm2.2 2 .7 8h6.2l.7-8z',
  bell: 'M12 2a2 2 0 0 0-2 2v.3A6 6 0 0 0 6 10v5l-2 2v1h16v-1l-2-2v-5a6 6 0 0 0-4-5.7V4a2 2 0 0 0-2-2zm0 4a4 4 0 0 1 4 4v5.8l.2.2H7.8l.2-.2V10a4 4 0 0 1 4-4zm-2 14a2 2 0 0 0 4 0z',
  paperclip:
    'M16.5 6v11.5c0 2.21-1.79 4-4 4s-4-1.79-4-4V5c0-1.38 1.12-2.5 2.5-2.5s2.5 1.12 2.5 2.5v10.5c0 .55-.45 1-1 1s-1-.45-1-1V6H10v9.5c0 1.38 1.12 2.5 2.5 2.5s2.5-1.12 2.5-2.5V5c0-2.21-1.79-4-4-4S7 2.79 7 5v12.5c0 3.04 2.46 5.5 5.5 5.5s5.5-2.46 5.5-5.5V6z',
  file: 'M4 2h10l6 6v14H4zm2 2v16h12V9h-5V4z',
  download: 'M11 3h2v10.2l3.6-3.6 1.4 1.4-6 6-6-6 1.4-1.4 3.6 3.6zM4 19h16v2H4z',
  gear: 'M19.14 12.94c.04-.3.06-.61.06-.94 0-.32-.02-.64-.07-.94l2.03-1.58a.49.49 0 0 0 .12-.61l-1.92-3.32a.49.49 0 0 0-.59-.22l-2.39.96c-.5-.38-1.03-.7-1.62-.94l-.36-2.54a.48.48 0 0 0-.48-.41h-3.84c-.24 0-.43.17-.47.41l-.36 2.54c-.59.24-1.13.57-1.62.94l-2.39-.96a.49.49 0 0 0-.59.22L2.74 8.87c-.12.21-.08.47.12.61l2.03 1.58c-.05.3-.09.63-.09.94s.02.64.07.94l-2.03 1.58a.49.49 0 0 0-.12.61l1.92 3.32c.12.22.37.29.59.22l2.39-.96c.5.38 1.03.7 1.62.94l.36 2.54c.05.24.24.41.48.41h3.84c.24 0 .44-.17.47-.41l.36-2.54c.59-.24 1.13-.56 1.62-.94l2.39.96c.22.08.47 0 .59-.22l1.92-3.32c.12-.22.07-.47-.12-.61zM12 15.6a3.6 3.6 0 1 1 0-7.2 3.6 3.6 0 0 1 0 7.2z',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 16, label }: { name: IconName; size?: number; label?: string }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="currentColor"
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
    >
      <path d={PATHS[name]} fillRule="evenodd" />
    </svg>
  );
}
