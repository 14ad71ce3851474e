import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** What is kept between runs, per api origin: the bearer token and who it belongs to. */
export type SavedSession = { token: string; userId: string; username: string };
type SessionFileContent = { sessions: Record<string, SavedSession> };

/** `$XDG_CONFIG_HOME/chatbox/session.json`, else `~/.config/chatbox/session.json`. */
export function sessionFilePath(env: Record<string, string | undefined> = process.env, home = os.homedir()): string {
  const configHome = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  return path.join(configHome, 'chatbox', 'session.json');
}

/**
 * The session file. It holds tokens, so it is readable by its owner only (0600, in a 0700
 * folder), also when it existed before with wider permissions.
 */
export class SessionFile {
  constructor(readonly file: string) {}

  async load(apiUrl: string): Promise<SavedSession | null> {
    return (await this.read()).sessions[apiUrl] ?? null;
  }

  async save(apiUrl: string, session: SavedSession): Promise<void> {
    const content = await this.read();
    content.sessions[apiUrl] = session;
    await this.write(content);
  }

  async forget(apiUrl: string): Promise<void> {
    const content = await this.read();
    if (!(apiUrl in content.sessions)) return;
    delete content.sessions[apiUrl];
    if (Object.keys(content.sessions).length === 0) await rm(this.file, { force: true });
    else await this.write(content);
  }

  private async read(): Promise<SessionFileContent> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as Partial<SessionFileContent>;
      return { sessions: typeof parsed.sessions === 'object' && parsed.sessions !== null ? parsed.sessions : {} };
    } catch {
      return { sessions: {} }; // missing or unreadable: no session, the user logs in again
    }
  }

  private async write(content: SessionFileContent): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    await writeFile(this.file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
    await chmod(this.file, 0o600); // writeFile's mode applies only when it creates the file
  }
}
