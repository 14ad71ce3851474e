import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] };
type Profile = { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

/**
 * `node dist/server/bench/src/profile/profile-summary.main.js <file.cpuprofile> [top] [--from S --to S]`: the
 * functions with the most self time, and the same grouped by package, from a V8 CPU profile
 * (as written by `npm run bench -- --profile DIR`). No external profiler needed.
 */
function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { from: { type: 'string' }, to: { type: 'string' } } });
  const [file, topArg] = positionals;
  if (!file) throw new Error('usage: profile-summary.main.js <file.cpuprofile> [top] [--from S] [--to S]');
  const top = Number(topArg ?? 25);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // --from/--to: seconds since the profile started, to look at one phase only
  const fromUs = Number(values.from ?? 0) * 1e6;
  const toUs = values.to === undefined ? Infinity : Number(values.to) * 1e6;
  const selfUs = new Map<number, number>();
  let at = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at >= fromUs && at <= toUs) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const idle = sum(selfUs, byId, (n) => ['(idle)', '(program)', '(garbage collector)'].includes(n.callFrame.functionName));
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const where = n.callFrame.url ? `${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}` : '';
    const key = `${n.callFrame.functionName || '(anonymous)'} ${where}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const p = packageOf(n.callFrame.url, n.callFrame.functionName);
    pkg.set(p, (pkg.get(p) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
  console.log(`${path.basename(file)}: ${(total / 1e6).toFixed(1)} s sampled, ${pct(idle)} idle/program/GC`);
  console.log('\nby package (self time):');
  for (const [k, us] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${pct(us)}  ${k}`);
  console.log('\nby function (self time):');
  for (const [k, us] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${k}`);
  console.log('\nour code (dist/server), inclusive time:');
  const inclusive = new Map<number, number>();
  const visit = (id: number): number => {
    const n = byId.get(id)!;
    const t = (selfUs.get(id) ?? 0) + (n.children ?? []).reduce((acc, c) => acc + visit(c), 0);
    inclusive.set(id, t);
    return t;
  };
  visit(profile.nodes[0].id);
  const ours = new Map<string, number>();
  for (const [id, us] of inclusive) {
    const n = byId.get(id)!;
    if (!n.callFrame.url.includes('dist/server/') || n.callFrame.url.includes('node_modules')) continue;
    const key = `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    ours.set(key, (ours.get(key) ?? 0) + us);
  }
  for (const [k, us] of [...ours].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${k}`);
}

function sum(self: Map<number, number>, byId: Map<number, Node>, pred: (n: Node) => boolean): number {
  let t = 0;
  for (const [id, us] of self) if (pred(byId.get(id)!)) t += us;
  return t;
}

function shortUrl(url: string): string {
  const i = url.lastIndexOf('node_modules/');
  if (i >= 0) return url.slice(i + 'node_modules/'.length);
  const d = url.indexOf('dist/server/');
  return d >= 0 ? url.slice(d + 'dist/server/'.length) : url.replace(/^file:\/\//, '');
}

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const i = url.lastIndexOf('node_modules/');
  if (i >= 0) {
    const parts = url.slice(i + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (url.startsWith('node:')) return 'node (core)';
  const d = url.indexOf('dist/server/');
  return d >= 0 ? url.slice(d + 'dist/server/'.length).split('/').slice(0, 3).join('/') : url;
}

main();
