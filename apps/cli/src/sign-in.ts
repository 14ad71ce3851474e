import type { TUser } from '@chatbox/contracts';
import { ApiError, RestClient } from './rest-client';
import { SessionFile } from './session-file';
import type { Terminal } from './terminal';

/**
 * Who the client runs as: the saved session for this api when it still works, else a log-in or
 * sign-up at the terminal (the password is never echoed). The new session is saved for next time.
 */
export async function signIn(terminal: Terminal, rest: RestClient, sessions: SessionFile): Promise<TUser> {
  await rest.reachable(); // before anyone types a password for a server that is not there
  const saved = await sessions.load(rest.apiUrl);
  if (saved) {
    rest.token = saved.token;
    try {
      return await rest.me();
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) throw err;
      rest.token = null;
      await sessions.forget(rest.apiUrl);
      terminal.print('Your session has ended; please log in again.');
    }
  }
  terminal.print(`ChatBox at ${rest.apiUrl}`);
  for (;;) {
    const choice = (await terminal.ask('Log in or sign up? [L/s] ')).trim().toLowerCase();
    const signUp = choice === 's' || choice === 'sign up' || choice === 'signup';
    const username = (await terminal.ask('Username: ')).trim();
    const password = await terminal.ask('Password (not shown): ', { hidden: true });
    const displayName = signUp ? (await terminal.ask('Display name (Enter: same as username): ')).trim() : '';
    try {
      const auth = signUp ? await rest.register(username, password, displayName || undefined) : await rest.login(username, password);
      rest.token = auth.accessToken;
      await sessions.save(rest.apiUrl, { token: auth.accessToken, userId: auth.user.id, username: auth.user.username });
      return auth.user;
    } catch (err) {
      if (!(err instanceof ApiError) || err.code === 'network') throw err;
      terminal.print(`${signUp ? 'Sign-up' : 'Log-in'} failed: ${err.message}`);
    }
  }
}
