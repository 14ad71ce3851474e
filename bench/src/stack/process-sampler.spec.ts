import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProcessSampler, readProcess } from './process-sampler';

/** A process that spins on the CPU, named on its command line by `marker`. */
const spinner = (marker: string) => spawn(process.execPath, ['-e', 'for (;;) {}', marker], { stdio: 'ignore' });
const ticks = (pid: number | undefined) => readProcess(pid!)?.ticks ?? NaN;

// The PostgreSQL backends of the bench's database come and go with the pools: the group counts a
// member started after tracking began from its start, one running before from then, and no
// process that does not match. The spinners are stopped (SIGSTOP) while their ticks are read, so
// the sums are exact whatever else the machine does.
test('a group counts the CPU of every matching process, also one started after tracking began', async () => {
  const marker = `sampler-group-${randomBytes(4).toString('hex')}`;
  const early = spinner(marker);
  const other = spinner(`${marker}-other`);
  const late = { child: undefined as ReturnType<typeof spinner> | undefined };
  try {
    await sleep(300);
    early.kill('SIGSTOP');
    await sleep(50);
    const earlyAtStart = ticks(early.pid);
    const sampler = new ProcessSampler(50);
    sampler.trackGroup('spinners', (cmdline) => cmdline.trimEnd().endsWith(` ${marker}`));
    sampler.start();
    early.kill('SIGCONT');
    late.child = spinner(marker);
    await sleep(700);
    for (const p of [early, late.child]) p.kill('SIGSTOP');
    await sleep(50);
    const [group] = sampler.closeWindow();
    sampler.stop();
    const expected = ticks(early.pid) - earlyAtStart + ticks(late.child.pid);
    assert.ok(ticks(late.child.pid) > 0, 'the late spinner ran');
    assert.equal(group.name, 'spinners');
    assert.equal(Math.round(group.cpuSeconds * 100), expected);
  } finally {
    for (const p of [early, other, late.child]) p?.kill('SIGKILL');
  }
});
