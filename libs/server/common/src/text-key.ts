/**
 * The key text is compared by when case and look-alike forms must not matter: NFKC (fullwidth
 * letters, ligatures become plain ones), then lower case. Usernames are unique by it, searches
 * match `usernameKey` and lower(name) with it, the common-password list is checked with it.
 */
export const foldKey = (text: string): string => text.normalize('NFKC').toLowerCase();
