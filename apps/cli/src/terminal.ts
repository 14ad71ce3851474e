import readline from 'node:readline';
import { Writable } from 'node:stream';

export type Completer = (line: string) => Promise<[string[], string]>;

/**
 * The screen, through Node's readline: one input line at the bottom (with history, editing and
 * Tab completion) and everything else printed above it. Printing clears the input line's rows,
 * writes the text and redraws the prompt with what was typed and the cursor where it was, so
 * live messages never clobber a half-typed line.
 */
export class Terminal {
  private readonly rl: readline.Interface;
  /** Drops the echo while a password is typed. */
  private muted = false;
  private prompting = false;
  private readonly output: NodeJS.WriteStream;

  constructor(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stdout) {
    this.output = output;
    const echo = new Writable({
      write: (chunk: Buffer | string, _encoding, done) => {
        if (!this.muted) output.write(chunk);
        done();
      },
    });
    // readline sizes the line by the terminal's width, and redraws on resize
    Object.defineProperty(echo, 'columns', { get: () => output.columns });
    output.on('resize', () => echo.emit('resize'));
    this.rl = readline.createInterface({
      input,
      output: echo,
      terminal: true,
      historySize: 500,
      completer: (line: string, callback: (err: Error | null, result: [string[], string]) => void) => {
        this.completer(line).then(
          (result) => callback(null, result),
          () => callback(null, [[], line]),
        );
      },
    });
  }

  completer: Completer = async (line) => [[], line];

  onLine(handler: (line: string) => void): void {
    this.rl.on('line', handler);
  }

  onClose(handler: () => void): void {
    this.rl.on('close', handler);
  }

  /** Ctrl-C: readline's default would close without a word. */
  onInterrupt(handler: () => void): void {
    this.rl.removeAllListeners('SIGINT');
    this.rl.on('SIGINT', handler);
  }

  setPrompt(prompt: string): void {
    this.rl.setPrompt(prompt);
    if (this.prompting) this.rl.prompt(true);
  }

  /** Shows the prompt and keeps it shown under everything printed from now on. */
  prompt(): void {
    this.prompting = true;
    this.rl.prompt(true);
  }

  /** Prints lines above the input line, leaving what is typed there as it was. */
  print(text: string): void {
    if (!this.prompting) {
      this.output.write(`${text}\n`);
      return;
    }
    // up to the prompt's first row, clear it and everything under it, print, redraw the prompt
    const { rows } = this.rl.getCursorPos();
    readline.moveCursor(this.output, 0, -rows);
    readline.cursorTo(this.output, 0);
    readline.clearScreenDown(this.output);
    this.output.write(`${text}\n`);
    this.rl.prompt(true);
  }

  /** Asks one question (before the chat starts); `hidden` for passwords: nothing typed is shown. */
  ask(question: string, opts: { hidden?: boolean } = {}): Promise<string> {
    return new Promise((resolve) => {
      if (opts.hidden) {
        this.output.write(question);
        this.rl.setPrompt('');
        this.muted = true;
      } else {
        this.rl.setPrompt(question); // a redraw (Backspace, Ctrl-U) repeats the question
        this.rl.prompt();
      }
      const history = (this.rl as unknown as { history?: string[] }).history;
      this.rl.once('line', (answer) => {
        if (this.muted) {
          this.muted = false;
          this.output.write('\n');
          history?.shift(); // a password must not be one Up-arrow away
        }
        resolve(answer);
      });
    });
  }

  close(): void {
    this.rl.close();
  }
}
