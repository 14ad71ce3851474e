import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Probes } from './probes.service';
import { Metrics } from './metrics.service';

/** The operations port of each process unless OPS_PORT says otherwise (docker-compose.yml's healthchecks use them). */
export const OPS_DEFAULT_PORTS = { api: 9464, worker: 9465, files: 9466 } as const;

/** The paths of the operations port (see OpsServer). */
export const OPS_PATHS = { live: '/live', ready: '/ready', metrics: '/metrics' } as const;

/**
 * The operations port of an api, worker or files process: liveness, readiness and Prometheus metrics,
 * on a port of its own (OPS_PORT, OPS_HOST) that the edge proxy never routes to, so none of it is
 * public. Plain node:http: it must answer while the app's own HTTP server drains or is closed.
 */
@Injectable()
export class OpsServer implements OnApplicationShutdown {
  private readonly logger = new Logger(OpsServer.name);
  private server?: Server;

  constructor(
    private readonly probes: Probes,
    private readonly metrics: Metrics,
  ) {}

  /** Listens; resolves with the port (0 picks a free one). */
  async listen(port: number, host: string): Promise<number> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const bound = (server.address() as AddressInfo).port;
    this.logger.log(`operations port: http://${host}:${bound} (${Object.values(OPS_PATHS).join(', ')})`);
    return bound;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET') return send(res, 405, 'text/plain', 'GET only\n');
      if (path === OPS_PATHS.live || path === OPS_PATHS.ready) {
        const answer = path === OPS_PATHS.live ? await this.probes.live() : await this.probes.ready();
        return send(res, answer.ok ? 200 : 503, 'application/json', JSON.stringify(answer.body));
      }
      if (path === OPS_PATHS.metrics) return send(res, 200, this.metrics.contentType, await this.metrics.render());
      send(res, 404, 'text/plain', 'not found\n');
    } catch (err) {
      this.logger.error(`operations request failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error\n');
    }
  }

  /** Last of all: probes answer while the rest of the app shuts down. */
  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}
