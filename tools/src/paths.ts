import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root: the nearest folder above this file holding nx.json. */
function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'nx.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no nx.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export const REPO_ROOT = findRoot(__dirname);
export const STATE_DIR = path.join(REPO_ROOT, '.local');
export const DIST_SERVER = path.join(REPO_ROOT, 'dist/server');
export const ALIAS_HOOK = path.join(REPO_ROOT, 'tools/runtime/register-aliases.cjs');
