import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { EventLoopUtilization, performance } from 'node:perf_hooks';

const SAMPLE_MS = 100;
/** The longest span asked about: a second. */
const KEPT = 1_000 / SAMPLE_MS;

/** How busy this process's event loop was lately: the share of a span spent running code, 0..1. */
@Injectable()
export class EventLoopLoad implements OnModuleDestroy {
  /** Cumulative readings, one per SAMPLE_MS, newest last. */
  private readonly readings: EventLoopUtilization[] = [performance.eventLoopUtilization()];
  private readonly timer = setInterval(() => this.sample(), SAMPLE_MS).unref();

  /** Over the last second. */
  get utilization(): number {
    return this.over(1_000);
  }

  /** Over the last `ms` (rounded to whole samples, at most a second). */
  over(ms: number): number {
    const newest = this.readings.length - 1;
    const from = Math.max(0, newest - Math.max(1, Math.round(ms / SAMPLE_MS)));
    return from === newest ? 0 : performance.eventLoopUtilization(this.readings[newest], this.readings[from]).utilization;
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    this.readings.push(performance.eventLoopUtilization());
    if (this.readings.length > KEPT + 1) this.readings.shift();
  }
}
