/** What `chatbox [--api URL]` was asked to do. */
export type CliArgs = { kind: 'run'; apiUrl: string } | { kind: 'help' } | { kind: 'error'; message: string };

export const DEFAULT_API_URL = 'http://localhost:3001';

export const USAGE = `Usage: chatbox [--api URL]

  --api URL   the ChatBox api to talk to (default: $CHATBOX_API, else ${DEFAULT_API_URL})
  --help      this text

Inside, type /help for the commands.`;

/** Parses the command line; `env` supplies CHATBOX_API when --api is not given. */
export function parseCliArgs(argv: readonly string[], env: Record<string, string | undefined> = {}): CliArgs {
  let apiUrl = env.CHATBOX_API || DEFAULT_API_URL;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    if (arg === '--api' || arg.startsWith('--api=')) {
      const value = arg === '--api' ? argv[++i] : arg.slice('--api='.length);
      if (!value) return { kind: 'error', message: '--api needs a URL, e.g. --api http://localhost:3001' };
      apiUrl = value;
    } else return { kind: 'error', message: `unknown argument: ${arg}` };
  }
  const url = URL.canParse(apiUrl) ? new URL(apiUrl) : null;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return { kind: 'error', message: `--api must be an http(s) URL, not "${apiUrl}"` };
  // the origin only: every path the client uses starts with /api or /socket.io
  return { kind: 'run', apiUrl: url.origin };
}
