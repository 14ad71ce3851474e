import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

/** Full path of an executable on PATH or in one of the extra folders, else undefined. */
export function findExecutable(name: string, extraDirs: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...extraDirs];
  return dirs.map((d) => path.join(d, name)).find((p) => p && existsSync(p));
}

/** Debian keeps PostgreSQL's server programs in /usr/lib/postgresql/<version>/bin. */
export function postgresBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => path.join(root, v, 'bin'));
}

export const isRoot = (): boolean => process.getuid?.() === 0;
export const isDebian = (): boolean => existsSync('/etc/debian_version');

/** Installs Debian packages (root only); output goes to the console so the user sees progress. */
export function aptInstall(packages: string[]): void {
  console.log(`[services] installing ${packages.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
}
