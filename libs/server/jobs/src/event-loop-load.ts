import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { EventLoopUtilization, performance } from 'node:perf_hooks';

const SAMPLE_MS = 100;

/** How busy this process's event loop was over the last SAMPLE_MS: the share spent running code, 0..1. */
@Injectable()
export class EventLoopLoad implements OnModuleDestroy {
  private last: EventLoopUtilization = performance.eventLoopUtilization();
  private recent = 0;
  private readonly timer = setInterval(() => this.sample(), SAMPLE_MS).unref();

  get utilization(): number {
    return this.recent;
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    const now = performance.eventLoopUtilization();
    this.recent = performance.eventLoopUtilization(now, this.last).utilization;
    this.last = now;
  }
}
