import { setTimeout as sleep } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { LatencySummary, summarize } from '../lib/stats';
import { FloorClients } from './floor-clients';
import { epochMs, stamped } from './floor-protocol';

export type FanoutFloor = { recipients: number; processes: number; messages: number; intervalMs: number; received: number; latencyMs: LatencySummary; serverLoopMs: LatencySummary };

/** Phase B's message body plus a Message's fields, about what ChatBox writes per delivery. */
const FRAME_BYTES = 600;

/**
 * The least "one message to N sockets" can cost on this machine: one process writes one
 * pre-encoded ~600-byte frame to each of N websockets (ws, the library under Socket.IO) and
 * nothing else (no database, no Redis, no framing per socket); `processes` client processes
 * only note each frame's arrival. Phase B's figures can be read against it: what ChatBox adds
 * is above it, what it cannot go below is this.
 */
export async function fanoutFloor(recipients: number, processes: number, messages: number, intervalMs: number, settleMs = 2000): Promise<FanoutFloor> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, backlog: 4096 });
  await new Promise((resolve) => server.once('listening', resolve));
  const clients = await FloorClients.connect((server.address() as AddressInfo).port, recipients, processes);
  try {
    const loopMs: number[] = [];
    const padding = 'x'.repeat(FRAME_BYTES - 20);
    for (let m = 0; m < messages; m++) {
      await sleep(intervalMs);
      const started = epochMs();
      const frame = Buffer.from(stamped(padding, started));
      for (const socket of server.clients) socket.send(frame, { binary: false });
      loopMs.push(epochMs() - started);
    }
    await sleep(settleMs);
    const latencies = await clients.receipts();
    return { recipients, processes, messages, intervalMs, received: latencies.length, latencyMs: summarize(latencies), serverLoopMs: summarize(loopMs) };
  } finally {
    clients.stop();
    server.close();
  }
}
