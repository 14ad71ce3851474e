import { randomBytes } from 'node:crypto';
import { Population } from '../driver/population';
import { inBatches } from '../driver/bench-user';
import { BenchStack, StackOptions } from '../stack/bench-stack';
import { DrillClient } from './drill-client';
import { DrillTraffic } from './drill-traffic';

export type DrillRig = { stack: BenchStack; pop: Population; clients: DrillClient[]; traffic: DrillTraffic; log: (line: string) => void };

/** CHATBOX_DRILL_DB names another, so that drills of several checkouts on one machine do not drop each other's. */
export const DRILL_DATABASE = process.env.CHATBOX_DRILL_DB ?? 'chatbox_drill';

/**
 * A production-mode stack and `users` connected clients in groups of 10, with reconnecting
 * clients and a traffic generator, ready for a fault.
 */
export async function prepareRig(name: string, stackOptions: Omit<StackOptions, 'databaseName'>, users: number): Promise<DrillRig> {
  const log = (line: string) => console.error(`[drill ${name}] ${line}`);
  const stack = await BenchStack.start({ ...stackOptions, databaseName: DRILL_DATABASE, env: { BCRYPT_COST: '4', ...stackOptions.env } });
  try {
    const pop = new Population(stack.apis.map((a) => a.url), randomBytes(3).toString('hex'), () => undefined);
    await pop.register(users);
    await pop.createGroups(10);
    const clients = pop.users.map((u) => new DrillClient(u, pop, log));
    await inBatches(clients, 25, (c) => c.connect());
    const traffic = new DrillTraffic(() => pop.users);
    log(`${users} clients connected to ${stack.apis.length} api(s), ${stack.workers.length} worker(s)`);
    return { stack, pop, clients, traffic, log };
  } catch (err) {
    await stack.stop();
    throw err;
  }
}

export async function teardownRig(rig: DrillRig): Promise<void> {
  for (const c of rig.clients) c.stop();
  await rig.stack.stop();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
