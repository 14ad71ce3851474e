import { readFileSync } from 'node:fs';
import net from 'node:net';

/** True when something accepts TCP connections on host:port. */
export function isListening(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The lowest port freePort picks: below it sit the well-known services. */
const LOWEST_PICKED = 10_000;

/** The first of the ports the kernel hands out for outgoing connections, and for listen(0). */
function firstEphemeralPort(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (low > 0) return low;
  } catch {
    // not Linux: the IANA range
  }
  return 49_152;
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A port nobody listens on now, for a server a test starts. Chosen below the kernel's ephemeral
 * range: a port from that range (listen(0)) can be taken as the local port of any process's
 * outgoing connection before the server binds it, and a web server that binds only once Next has
 * started (seconds later) failed with EADDRINUSE in a full test run.
 */
export async function freePort(): Promise<number> {
  const low = firstEphemeralPort();
  for (let attempt = 0; low > LOWEST_PICKED && attempt < 50; attempt++) {
    const port = LOWEST_PICKED + Math.floor(Math.random() * (low - LOWEST_PICKED));
    if (await bindable(port)) return port;
  }
  return kernelPort();
}

function kernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
