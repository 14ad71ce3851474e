import { transferLanes, type LaneTotals } from './transfer-lanes';
import { byteWork } from './upload-client';

/** What the parent sends: the lanes to run, then when to stop them. */
export type LanesCommand = { type: 'start'; baseUrl: string; token: string; lanes: number; sizeBytes: number; firstIndex: number } | { type: 'stop' };
/** The answer to `stop`: the lanes' totals and this process's milliseconds spent making and checking file bytes. */
export type LanesStopped = { type: 'stopped'; totals: LaneTotals; byteWorkMs: number };

/**
 * Transfer lanes in a process of their own (see transferLanesInChild): started by a message,
 * stopped by another, answering with their totals, then gone.
 */
let lanes: ReturnType<typeof transferLanes> | undefined;
process.on('message', (m: LanesCommand) => {
  if (m.type === 'start') lanes = transferLanes(m.baseUrl, m.token, m.lanes, m.sizeBytes, m.firstIndex);
  else if (m.type === 'stop' && lanes) {
    void lanes.stop().then((totals) => {
      const answer: LanesStopped = { type: 'stopped', totals, byteWorkMs: byteWork.ms };
      process.send?.(answer, () => process.exit(0));
    });
  }
});
process.on('disconnect', () => process.exit(0));
