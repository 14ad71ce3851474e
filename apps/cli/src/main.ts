import { ChatApp } from './chat-app';
import { parseCliArgs, USAGE } from './cli-args';
import { RestClient } from './rest-client';
import { SessionFile, sessionFilePath } from './session-file';
import { signIn } from './sign-in';
import { Terminal } from './terminal';

/** `chatbox [--api URL]`: the terminal client (apps/cli). */
async function main(): Promise<void> {
  const args = parseCliArgs(process.argv.slice(2), process.env);
  if (args.kind === 'help') return void console.log(USAGE);
  if (args.kind === 'error') {
    console.error(`chatbox: ${args.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const terminal = new Terminal();
  terminal.onInterrupt(() => process.exit(130)); // Ctrl-C before the chat has started
  const rest = new RestClient(args.apiUrl);
  const sessions = new SessionFile(sessionFilePath());
  const me = await signIn(terminal, rest, sessions);
  await new ChatApp(terminal, rest, sessions, me).start();
}

main().catch((err: unknown) => {
  console.error(`chatbox: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
