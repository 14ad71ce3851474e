import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '@chatbox/tools';

export const RESULTS_DIR = path.join(REPO_ROOT, 'bench/results');

/** The machine a run happened on, so figures from different machines are not compared blindly. */
export function machineInfo() {
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryMb: Math.round(os.totalmem() / 2 ** 20), node: process.version, platform: `${os.platform()} ${os.release()}` };
}

/** Writes bench/results/<kind>-<timestamp>.json (git-ignored) and returns its path. */
export function writeResults(kind: string, startedAt: Date, content: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const file = path.join(RESULTS_DIR, `${kind}-${stamp}.json`);
  writeFileSync(file, JSON.stringify(content, null, 2) + '\n');
  return file;
}
