/** markdown-it-emoji's shortcode table (the one its `full` plugin renders with), shipped untyped. */
declare module 'markdown-it-emoji/lib/data/full.mjs' {
  const defs: Readonly<Record<string, string>>;
  export default defs;
}
