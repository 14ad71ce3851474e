import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError, foldKey } from '@chatbox/server-common';

const LIST_FILE = 'common-passwords.txt';
const SOURCE_DIR = 'libs/server/accounts/src';

/**
 * The shipped list of the most common passwords (>= 8 characters, lowercase). Compiled code runs
 * from dist/, which tsc does not copy text files into, so the file is looked up next to this
 * module first, then in the source tree of the repository (the nearest folder with nx.json).
 */
function listPath(): string {
  const beside = path.join(__dirname, LIST_FILE);
  if (existsSync(beside)) return beside;
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nx.json'))) return path.join(dir, SOURCE_DIR, LIST_FILE);
  }
  throw new Error(`${LIST_FILE} not found above ${__dirname}`);
}

let common: Set<string> | undefined;

/** Loaded once per process, on first use (start-up fails loudly if the file is missing). */
export function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(listPath(), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  );
  return common;
}

/** Compared case-insensitively after NFKC, so "Password1" and "ＰＡＳＳＷＯＲＤ１" are both refused. */
export const isCommonPassword = (password: string): boolean =>
  commonPasswords().has(foldKey(password));

/** Length is the contract's job (8-128, no composition rules); this refuses the guessable ones. */
export function assertAcceptablePassword(password: string, field = 'password'): void {
  if (isCommonPassword(password)) {
    throw AppError.validation({ [field]: 'is one of the most common passwords; choose another' });
  }
}
