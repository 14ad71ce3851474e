import { performance } from 'node:perf_hooks';
import { PhaseContext } from '../phase-context';
import type { PhaseResult } from '../driver-protocol';

/** Setup: users registered, groups created, everyone's socket and page connections open, all through the API. */
export async function setupPhase(ctx: PhaseContext): Promise<PhaseResult> {
  const t0 = performance.now();
  await ctx.pop.register(ctx.config.users);
  const t1 = performance.now();
  await ctx.pop.createGroups(ctx.config.groupSize, ctx.config.ephemeralShare);
  await ctx.pop.findAll(ctx.pop.users[0]);
  const t2 = performance.now();
  await ctx.pop.connect(ctx.pop.users);
  await ctx.pop.openPageConnections(ctx.pop.users);
  const t3 = performance.now();
  const connected = ctx.pop.connected().length;
  const problems = connected === ctx.config.users ? [] : [`${connected} of ${ctx.config.users} sockets connected`];
  return {
    phase: 'setup',
    ok: problems.length === 0,
    problems,
    users: ctx.pop.users.length,
    groups: ctx.pop.groups.size,
    ephemeralGroups: ctx.pop.ephemeralGroups.size,
    registerMs: Math.round(t1 - t0),
    registerRetries: ctx.pop.registerRetries,
    registerErrors: ctx.pop.registerErrors,
    groupsMs: Math.round(t2 - t1),
    connectMs: Math.round(t3 - t2),
  };
}
