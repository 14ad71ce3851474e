/** Input limits of the wire contract (API.md "Limits"). */
export const LIMITS = {
  usernameMin: 3,
  usernameMax: 32,
  usernamePattern: /^[a-zA-Z0-9_.-]+$/,
  passwordMin: 8,
  passwordMax: 128,
  displayNameMax: 64,
  groupNameMax: 64,
  /** A group's description (version 2). */
  groupDescriptionMax: 500,
  bodyMax: 4000,
  clientMsgIdMax: 64,
  pageDefault: 50,
  pageMax: 100,
  searchQueryMax: 64,
  /** Message search's `q` (API.md "Search"). */
  messageSearchQueryMax: 200,
  addMembersMax: 100,
  /** Distinct emojis on one message (the 21st is a 409). */
  reactionsPerMessageMax: 20,
  /** A `:shortcode:` reaction's name. */
  shortcodePattern: /^:[a-z0-9_+-]{1,32}:$/,
  /** Attachments one message takes (API.md "Attachments"). */
  attachmentsPerMessageMax: 10,
  /** An attachment's name, after sanitising (longer ones are shortened, keeping the extension). */
  attachmentNameMax: 255,
  /** Seqs are 32-bit in storage: no message can have a larger one. */
  seqMax: 2_147_483_647,
} as const;
