import { randomBytes } from 'node:crypto';
import { MessageRouter } from '../driver/message-router';
import { Population } from '../driver/population';
import type { DeliverySummary } from '../driver/delivery-tracker';
import type { BenchStack } from '../stack/bench-stack';
import { cpuSecondsBetween, ProcessSampler } from '../stack/process-sampler';
import { describeGc, EventLoopLagReader, gcBetween, ownGcTotals, type EventLoopLag, type GcTotals } from './event-loop-lag';
import { sendMessagesFor, type SendsByWay } from './message-load';
import { transferLanesInChild, type LaneTotals } from './transfer-lanes';
import type { LanesStopped } from './transfer-lanes.main';

export type AlongsideOptions = {
  rates: number[];
  windowSeconds: number;
  users: number;
  lanes: number;
  sizeBytes: number;
  lanesNice: number;
  /** Where the lanes upload and download: the files process, or the api itself. */
  transfersUrl: string;
};

/** One window of messages: what they saw, and what the processes spent meanwhile. */
export type MessageWindow = SendsByWay & {
  /** The api's event-loop delay from the window's start to its last send (its operations port's metrics). */
  apiEventLoopLagMs?: EventLoopLag;
  /** The api's garbage collections from the window's start to its last send (not while the lanes finish). */
  apiGc?: GcTotals;
  /** This driver's collections over the same span. */
  driverGc?: GcTotals;
  /**
   * CPU seconds to the window's last send of the api, the worker, this driver process (the
   * messages) and the transfer lanes' process, and the lanes' share (over all their transfers)
   * spent making and checking file bytes.
   */
  cpuSeconds: Record<string, number> & { lanesByteWork: number };
  machineBusyPct: number;
  transfers?: LaneTotals;
};

export type AlongsideStep = { rate: number; seconds: number; before: MessageWindow; during: MessageWindow };

/** Senders are put in groups of this size (phase A's). */
const GROUP_SIZE = 10;
/** Unmeasured traffic first: the api's message path compiled before the first window. */
const WARM_UP_SECONDS = 3;

/**
 * Phase A alongside transfers: for each rate, group traffic for `windowSeconds` with nothing else
 * running, then as long again while `lanes` transfers keep going. Both windows run back to back
 * in the same stack, so the only difference is the files moving.
 */
export async function messagesAlongside(stack: BenchStack, uploaderToken: string, opts: AlongsideOptions): Promise<{ steps: AlongsideStep[]; problems: string[] }> {
  const api = stack.apis[0]!;
  const router = new MessageRouter();
  const pop = new Population([api.url], randomBytes(3).toString('hex'), router.sink);
  await pop.register(opts.users);
  await pop.createGroups(GROUP_SIZE);
  await pop.connect(pop.users);
  await sendMessagesFor(pop, router, opts.rates[0]!, WARM_UP_SECONDS, 'warm');

  const sampler = new ProcessSampler(100);
  sampler.track('api', api.child.pid);
  sampler.track('worker', stack.workers[0]?.child.pid);
  sampler.track('files', stack.files?.child.pid);
  sampler.track('driver', process.pid);
  sampler.trackGroup('lanes', (cmdline) => cmdline.includes('transfer-lanes.main'));
  sampler.start();
  const lag = EventLoopLagReader.forApi(api.child.pid!, api.port);
  let fileIndex = 2_000_000;
  const driverGcTotals = ownGcTotals();

  const window = async (rate: number, tag: string, withTransfers: boolean): Promise<MessageWindow> => {
    await router.quiesce();
    const cpu0 = sampler.cpuTicks();
    sampler.closeMachineWindow();
    const gc0 = (await lag?.read())?.gc;
    const driverGc0 = driverGcTotals();
    const lanes = withTransfers ? transferLanesInChild(opts.transfersUrl, uploaderToken, opts.lanes, opts.sizeBytes, fileIndex, opts.lanesNice) : undefined;
    fileIndex += 100_000;
    let stopped: LanesStopped | undefined;
    let apiEventLoopLagMs: EventLoopLag | undefined;
    let apiGc: GcTotals | undefined;
    let driverGc: GcTotals | undefined;
    let cpuSeconds: Record<string, number> = {};
    let machineBusyPct = 0;
    const sends = await sendMessagesFor(pop, router, rate, opts.windowSeconds, tag, async () => {
      // the schedule ended: the transfers stop (finishing the ones under way), then the window closes
      driverGc = gcBetween(driverGc0, driverGcTotals());
      const end = await lag?.read();
      apiEventLoopLagMs = end?.lag;
      apiGc = gc0 && end ? gcBetween(gc0, end.gc) : undefined;
      // the CPU too up to the last send: the lanes' finishing files (up to 15 s more) would dilute it
      cpuSeconds = cpuSecondsBetween(cpu0, sampler.cpuTicks());
      machineBusyPct = sampler.closeMachineWindow().busyPct;
      stopped = await lanes?.stop();
    });
    return {
      ...sends,
      apiEventLoopLagMs,
      apiGc,
      driverGc,
      cpuSeconds: { ...cpuSeconds, lanesByteWork: Math.round(stopped?.byteWorkMs ?? 0) / 1000 },
      machineBusyPct,
      ...(stopped && { transfers: stopped.totals }),
    };
  };

  const steps: AlongsideStep[] = [];
  const problems: string[] = [];
  try {
    for (const rate of opts.rates) {
      const before = await window(rate, `q${rate}`, false);
      const during = await window(rate, `t${rate}`, true);
      steps.push({ rate, seconds: opts.windowSeconds, before, during });
      console.log(`[uploads] messages at ${rate}/s: ${describe('before', before)}`);
      console.log(`[uploads] messages at ${rate}/s: ${describe('during', during)}`);
      for (const [name, w] of [['before', before], ['during', during]] as const) {
        for (const [way, s] of [['socket', w.socket], ['REST', w.rest]] as const) {
          if (s.lost > 0 || s.failed > 0 || s.timedOut > 0 || s.duplicates > 0)
            problems.push(`${rate}/s ${name} the transfers, ${way}: ${s.lost} lost, ${s.failed} failed, ${s.timedOut} timed out, ${s.duplicates} duplicates (${s.failures.slice(0, 3).join('; ')})`);
        }
        problems.push(...(w.transfers?.problems ?? []).map((p) => `${rate}/s transfers: ${p}`));
      }
    }
  } finally {
    sampler.stop();
    pop.disconnect(pop.users);
  }
  return { steps, problems };
}

const latency = (s: DeliverySummary) => `p50 ${s.latencyMs.p50} p99 ${s.latencyMs.p99} ms (ack p50 ${s.ackMs.p50} p99 ${s.ackMs.p99})`;

function describe(name: string, w: MessageWindow): string {
  const lagText = w.apiEventLoopLagMs ? `; api event-loop delay p50 ${w.apiEventLoopLagMs.p50Ms} p99 ${w.apiEventLoopLagMs.p99Ms} max ${w.apiEventLoopLagMs.maxMs} ms` : '';
  const cpu = Object.entries(w.cpuSeconds)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const gc = describeGc('api', w.apiGc) + describeGc('driver', w.driverGc);
  const moved = w.transfers ? `; transfers ${w.transfers.mbPerSecond} MB/s (${w.transfers.uploads} up, ${w.transfers.downloads} down)` : '';
  return `${name} the transfers: socket ${latency(w.socket)}, REST ${latency(w.rest)}${lagText}${gc}; CPU s ${cpu}; machine ${w.machineBusyPct} % busy${moved}`;
}
