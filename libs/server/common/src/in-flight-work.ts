import { Injectable } from '@nestjs/common';

/**
 * Requests and socket events being answered, for a graceful shutdown: once `stop()` is called no
 * new work is accepted (`accepting` is false) and `drained()` resolves when the work already
 * begun has ended, so PostgreSQL and Redis close only after every answer left.
 */
@Injectable()
export class InFlightWork {
  private count = 0;
  private stopped = false;
  private readonly waiters: Array<() => void> = [];

  get accepting(): boolean {
    return !this.stopped;
  }

  get size(): number {
    return this.count;
  }

  /** Counts one piece of work; call the function returned once (more calls do nothing) when it ends. */
  begin(): () => void {
    this.count++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.count--;
      if (this.count === 0) this.waiters.splice(0).forEach((wake) => wake());
    };
  }

  stop(): void {
    this.stopped = true;
  }

  /** True once nothing is in flight; false when `timeoutMs` passed first. */
  drained(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
