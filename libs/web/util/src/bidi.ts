/**
 * A user-supplied name for a place only text can go (a placeholder, a title): wrapped in
 * FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE, the text equivalent of <bdi>, so a right-to-left
 * name shows the right way round and a direction override in it cannot reorder what follows.
 * In markup, wrap names in <bdi> instead.
 */
export const isolate = (name: string): string => `\u2068${name}\u2069`;
