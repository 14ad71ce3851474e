import WebSocket from 'ws';
import { ClientReply, ClientTask, epochMs, sentAtOf, stamped } from './floor-protocol';

/**
 * A floor bench client process: holds websockets that do nothing but time each frame's receipt,
 * and sends frames at an open-loop rate when told. As little client work as a receiver can do,
 * so what is measured is the server and the machine.
 */
const sockets: WebSocket[] = [];
let latenciesMs: number[] = [];
const reply = (message: ClientReply) => process.send!(message);

function connect(port: number, count: number, firstUser: number): void {
  let open = 0;
  for (let i = 0; i < count; i++) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/?user=${firstUser + i}`, { perMessageDeflate: false });
    ws.on('open', () => ++open === count && reply({ kind: 'connected' }));
    ws.on('message', (data: Buffer) => latenciesMs.push(epochMs() - sentAtOf(data.toString())));
    ws.on('error', (err) => console.error(`[floor client] ${err.message}`));
    sockets.push(ws);
  }
}

async function send(rate: number, seconds: number, bodyBytes: number): Promise<void> {
  const frames = Math.round(rate * seconds);
  const body = 'b'.repeat(bodyBytes);
  const start = epochMs();
  for (let k = 0; k < frames; k++) {
    const wait = start + (k * 1000) / rate - epochMs();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    sockets[k % sockets.length].send(stamped(body));
  }
  reply({ kind: 'sent', frames });
}

process.on('message', (task: ClientTask) => {
  if (task.kind === 'connect') connect(task.port, task.count, task.firstUser);
  else if (task.kind === 'send') void send(task.rate, task.seconds, task.bodyBytes);
  else {
    reply({ kind: 'receipts', latenciesMs });
    latenciesMs = [];
  }
});
process.on('disconnect', () => process.exit(0));
