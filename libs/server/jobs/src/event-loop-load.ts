import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { EventLoopUtilization, performance } from 'node:perf_hooks';

const SAMPLE_MS = 100;
/** The window is a second: long enough that a collection or one burst of work does not count as load. */
const WINDOW_SAMPLES = 10;

/** How busy this process's event loop was over the last second: the share spent running code, 0..1. */
@Injectable()
export class EventLoopLoad implements OnModuleDestroy {
  /** Cumulative readings, oldest first: the window runs from the first to the last. */
  private readonly readings: EventLoopUtilization[] = [performance.eventLoopUtilization()];
  private recent = 0;
  private readonly timer = setInterval(() => this.sample(), SAMPLE_MS).unref();

  get utilization(): number {
    return this.recent;
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    this.readings.push(performance.eventLoopUtilization());
    if (this.readings.length > WINDOW_SAMPLES + 1) this.readings.shift();
    this.recent = performance.eventLoopUtilization(this.readings[this.readings.length - 1], this.readings[0]).utilization;
  }
}
