import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '@chatbox/tools';

const CHATBOX_BIN = path.join(REPO_ROOT, 'apps/cli/bin/chatbox.cjs');
/** Cursor moves, clears and colours that readline writes; what is left is the text a person reads. */
const CONTROL_SEQUENCE = new RegExp(String.raw`\x1b\[[0-9;?]*[ -/]*[@-~]`, 'g');

/**
 * The `chatbox` command in a real pseudo-terminal: util-linux `script` gives it one (readline
 * sees a TTY, raw mode, a width) without native modules. Keystrokes go in as a terminal sends
 * them (Enter is \r, Tab \t); the output is kept whole, and waits look at the text after a mark.
 */
export class TerminalSession {
  private output = '';
  private readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;

  constructor(apiUrl: string, env: NodeJS.ProcessEnv) {
    const command = `stty cols 120 rows 40; exec ${process.execPath} ${CHATBOX_BIN} --api ${apiUrl}`;
    const childEnv: NodeJS.ProcessEnv = { ...env, TERM: 'xterm-256color' };
    delete childEnv.NODE_TEST_CONTEXT; // the client is a program under test, not a test file
    this.child = spawn('script', ['-qfec', command, '/dev/null'], { env: childEnv });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => (this.output += chunk));
    this.child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[chatbox] ${chunk.toString()}`));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** Everything printed so far, without control sequences. */
  text(): string {
    return this.output.replace(CONTROL_SEQUENCE, '').replace(/\r/g, '');
  }

  /** Everything printed so far, control sequences included. */
  raw(): string {
    return this.output;
  }

  /** A position in text(): waits after it ignore what came before. */
  mark(): number {
    return this.text().length;
  }

  /** Keys as a terminal sends them. */
  type(keys: string): void {
    this.child.stdin.write(keys);
  }

  /** Resolves with the text after `from` once it matches. */
  async waitFor(pattern: string | RegExp, { from = 0, timeoutMs = 20_000 } = {}): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const after = this.text().slice(from);
      if (typeof pattern === 'string' ? after.includes(pattern) : pattern.test(after)) return after;
      if (Date.now() > deadline) throw new Error(`the terminal did not show ${String(pattern)} within ${timeoutMs} ms; it shows:\n${after.slice(-3000)}`);
      if (this.child.exitCode !== null) throw new Error(`chatbox exited (${this.child.exitCode}) before showing ${String(pattern)}:\n${after.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Ends the program if it is still running (script hangs up its terminal). */
  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}
