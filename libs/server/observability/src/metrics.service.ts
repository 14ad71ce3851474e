import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { PrismaService } from '@chatbox/server-db';

/** Latency buckets (seconds) from a cached read to a slow catch-up. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The process's Prometheus metrics (prom-client), served on the operations port (OpsServer).
 * One registry per app, not prom-client's global one, so several apps in one test process
 * keep theirs apart. Counting on a hot path is an increment in memory; values read from
 * elsewhere (sockets, queue, outbox, pool) are read only when Prometheus scrapes.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'chatbox_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status, with their latency',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly socketEvents = new Counter({
    name: 'chatbox_socket_events_total',
    help: 'Socket events answered, by event and outcome (ok, error, refused while shutting down)',
    labelNames: ['event', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly messagesStored = new Counter({
    name: 'chatbox_messages_stored_total',
    help: 'Messages stored (sends), counted when their fan-out is scheduled',
    registers: [this.registry],
  });
  readonly changesDelivered = new Counter({
    name: 'chatbox_fanout_changes_delivered_total',
    help: 'Changes (new messages, edits, deletes, reactions) fanned out to their conversations',
    registers: [this.registry],
  });
  readonly queueWait = new Histogram({
    name: 'chatbox_fanout_queue_wait_seconds',
    help: 'Time a fan-out job waited in the queue before a worker took it',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly fanoutLag = new Histogram({
    name: 'chatbox_fanout_lag_seconds',
    help: 'From a message stored to its fan-out to the members',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  constructor(prisma: PrismaService) {
    collectDefaultMetrics({ register: this.registry, prefix: 'chatbox_process_' });
    this.gauge('chatbox_pg_pool_connections', 'PostgreSQL pool connections by state (total, idle, waiting clients)', ['state'], async (set) => {
      const pool = prisma.poolStats();
      set({ state: 'total' }, pool.total);
      set({ state: 'idle' }, pool.idle);
      set({ state: 'waiting' }, pool.waiting);
    });
  }

  /** A gauge read on each scrape: `collect` sets its values (by label) from wherever they live. */
  gauge(name: string, help: string, labelNames: string[], collect: (set: (labels: Record<string, string>, value: number) => void) => Promise<void> | void): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        await collect((labels, value) => (labelNames.length ? this.set(labels, value) : this.set(value)));
      },
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
