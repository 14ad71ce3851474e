import { existsSync } from 'node:fs';
import { aptInstall, isDebian, isRoot } from './binaries';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * The browser tests drive Debian's Chromium, never a downloaded one: use it when present,
 * install it with apt on Debian as root, else stop and say what to install.
 */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (isDebian() && isRoot()) {
    aptInstall(['chromium']);
    if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  }
  throw new Error(`Chromium is needed at ${CHROMIUM_PATH} for the browser tests: install it (Debian: apt-get install chromium).`);
}
