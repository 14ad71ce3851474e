import type { TUser } from '@chatbox/contracts';
import { COMMAND_NAMES } from './command-parser';
import { completionHits, completionRequest } from './completion';
import type { ChatSession } from './chat-session';

/**
 * Readline's Tab: commands from the list, group names from the user's groups, usernames from
 * those seen so far and the server's user search, joinable groups from the group search.
 */
export async function completeNames(s: ChatSession, line: string): Promise<[string[], string]> {
  const request = completionRequest(line, s.directory.groupNames());
  if (!request) return [[], line];
  const candidates = new Set<string>();
  switch (request.kind) {
    case 'command':
      COMMAND_NAMES.forEach((n) => candidates.add(n));
      break;
    case 'group':
      s.directory.groupNames().forEach((n) => candidates.add(n));
      break;
    case 'user':
      s.directory.usernames.forEach((n) => candidates.add(n));
      for (const u of (await s.rest.users(request.partial).catch(() => ({ items: [] as TUser[] }))).items) {
        s.directory.usernames.add(u.username);
        candidates.add(u.username);
      }
      break;
    case 'joinable-group':
      for (const g of (await s.rest.groups(request.partial).catch(() => ({ items: [] }))).items) if (g.visibility === 'public') candidates.add(g.name);
      break;
  }
  return [completionHits(request, candidates), request.substring];
}
