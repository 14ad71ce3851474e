import { setTimeout as sleep } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { WebSocket, WebSocketServer } from 'ws';
import { LatencySummary, summarize } from '../lib/stats';
import { FloorClients } from './floor-clients';

export type PathFloor = { rate: number; seconds: number; viaRedis: boolean; sent: number; expected: number; received: number; latencyMs: LatencySummary };

/** Phase A's setup: 200 users, 20 groups of 10 (user i in group i mod 20), 100-byte bodies. */
const USERS = 200;
const GROUPS = 20;
const BODY_BYTES = 100;

/**
 * The least phase A's path can cost on this machine while keeping "committed before delivered":
 * each frame from a user's websocket is INSERTed into a one-table database and COMMITted, then
 * (viaRedis) published on a Redis channel and received back from it, as ChatBox's gateways get
 * their deliveries, and written to the other 9 members' websockets. No framework, auth, JSON,
 * rate limit or lock: what ChatBox adds per message is the difference to phase A at the same rate.
 * One INSERT per frame (no group commit), so it is a floor at low and moderate rates, not of
 * throughput.
 */
export async function pathFloor(databaseUrl: string, redisUrl: string, rate: number, seconds: number, viaRedis: boolean, settleMs = 2000): Promise<PathFloor> {
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  const publisher = new Redis(redisUrl);
  const subscriber = new Redis(redisUrl);
  const channel = `chatbox-floor-${process.pid}`;
  const sockets = new Map<number, WebSocket>();
  const deliver = (sender: number, frame: Buffer) => {
    for (let user = sender % GROUPS; user < USERS; user += GROUPS) if (user !== sender) sockets.get(user)?.send(frame, { binary: false });
  };
  let server: WebSocketServer | undefined;
  let clients: FloorClients | undefined;
  try {
    await pool.query('CREATE TABLE IF NOT EXISTS floor_message (id bigserial PRIMARY KEY, conversation int NOT NULL, sender int NOT NULL, body text NOT NULL, at timestamptz NOT NULL DEFAULT now())');
    if (viaRedis) {
      await subscriber.subscribe(channel);
      // two bytes of sender, then the frame as the client sent it
      subscriber.on('messageBuffer', (_channel: Buffer, message: Buffer) => deliver(message.readUInt16BE(0), message.subarray(2)));
    }
    server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
    server.on('connection', (ws, req) => {
      const sender = Number(new URL(req.url ?? '/', 'http://floor').searchParams.get('user'));
      sockets.set(sender, ws);
      ws.on('message', async (data: Buffer) => {
        await pool.query('INSERT INTO floor_message (conversation, sender, body) VALUES ($1, $2, $3)', [sender % GROUPS, sender, data.toString()]);
        if (!viaRedis) return deliver(sender, data);
        const head = Buffer.alloc(2);
        head.writeUInt16BE(sender);
        void publisher.publish(channel, Buffer.concat([head, data]));
      });
    });
    await new Promise((resolve) => server!.once('listening', resolve));
    clients = await FloorClients.connect((server.address() as AddressInfo).port, USERS, 1);
    const sent = await clients.send(rate, seconds, BODY_BYTES);
    await sleep(settleMs);
    const latencies = await clients.receipts();
    return { rate, seconds, viaRedis, sent, expected: sent * (USERS / GROUPS - 1), received: latencies.length, latencyMs: summarize(latencies) };
  } finally {
    clients?.stop();
    server?.close();
    publisher.disconnect();
    subscriber.disconnect();
    await pool.end();
  }
}
