import { fork } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { summarize, type LatencySummary } from '../lib/stats';
import type { LanesCommand, LanesStopped } from './transfer-lanes.main';
import { downloadFile, mbPerSecond, uploadFile } from './upload-client';
import { loaderHookArgs } from '../lib/loader-hook';

export type LaneTotals = {
  uploads: number;
  downloads: number;
  /** Bytes of the uploads and downloads that completed, over the time until the last one did. */
  mbPerSecond: number;
  seconds: number;
  uploadMs: LatencySummary;
  downloadMs: LatencySummary;
  problems: string[];
};

/**
 * `lanes` transfers kept going until stop(): each lane uploads a file of `sizeBytes`, downloads
 * it (checked byte for byte), and starts over, so as many files move at any moment as there are
 * lanes (about half of them each way).
 */
export function transferLanes(baseUrl: string, token: string, lanes: number, sizeBytes: number, firstIndex: number) {
  let stopped = false;
  let next = firstIndex;
  let bytes = 0;
  const uploadMs: number[] = [];
  const downloadMs: number[] = [];
  const problems: string[] = [];
  const start = performance.now();
  const lane = async () => {
    while (!stopped) {
      const index = next++;
      try {
        const up = await uploadFile(baseUrl, token, index, sizeBytes);
        uploadMs.push(up.ms);
        bytes += sizeBytes;
        const down = await downloadFile(baseUrl, token, up.url, index);
        downloadMs.push(down.ms);
        bytes += down.bytes;
        if (down.bytes !== sizeBytes || !down.intact) problems.push(`file ${index}: downloaded ${down.bytes} bytes, ${down.intact ? 'same' : 'other'} content`);
      } catch (err) {
        // a refused or broken transfer ends its lane: reported, the others go on
        problems.push(err instanceof Error ? err.message : String(err));
        return;
      }
    }
  };
  const running = Promise.all(Array.from({ length: lanes }, lane));
  return {
    /** Lets every lane finish the transfer it is in, then reports. */
    stop: async (): Promise<LaneTotals> => {
      stopped = true;
      await running;
      const ms = performance.now() - start;
      return {
        uploads: uploadMs.length,
        downloads: downloadMs.length,
        mbPerSecond: mbPerSecond(bytes, ms),
        seconds: Math.round(ms) / 1000,
        uploadMs: summarize(uploadMs),
        downloadMs: summarize(downloadMs),
        problems,
      };
    },
  };
}

/**
 * transferLanes in a child process (transfer-lanes.main.ts): the process that times the messages
 * must not also be the one moving the files, or its own event loop, busy with 50 transfers,
 * delays the receipts it times (as the users sending files are not the ones reading the
 * messages). Its CPU is the machine's still (at `nice`, if given: the lanes stand for other
 * people's machines). `stop` answers the totals and the child's milliseconds of making and
 * checking file bytes.
 */
export function transferLanesInChild(baseUrl: string, token: string, lanes: number, sizeBytes: number, firstIndex: number, nice = 0) {
  // through `nice`, which execs node (the IPC channel's descriptor survives): every thread at that
  // priority, where renicing the running process would reach only its main thread
  const launch = nice === 0 ? { execArgv: loaderHookArgs } : { execPath: 'nice', execArgv: ['-n', String(nice), process.execPath, ...loaderHookArgs] };
  const child = fork(path.join(__dirname, 'transfer-lanes.main.js'), [], { ...launch, env: { ...process.env }, serialization: 'advanced' });
  const tell = (m: LanesCommand) => child.send(m);
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the transfer lanes' process exited (${code}) before it reported`))));
  exited.catch(() => undefined);
  tell({ type: 'start', baseUrl, token, lanes, sizeBytes, firstIndex });
  return {
    stop: (): Promise<LanesStopped> => {
      const stopped = new Promise<LanesStopped>((resolve) => child.on('message', (m: LanesStopped) => m.type === 'stopped' && resolve(m)));
      tell({ type: 'stop' });
      return Promise.race([stopped, exited]);
    },
  };
}
