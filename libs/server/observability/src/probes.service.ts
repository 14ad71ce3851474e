import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { InFlightWork } from '@chatbox/server-common';
import { PrismaService } from '@chatbox/server-db';
import { RedisService } from '@chatbox/server-redis';

/** A dependency that has not answered by then counts as down: a probe must answer promptly. */
const CHECK_TIMEOUT_MS = 2_000;

export type ProbeAnswer = { ok: boolean; body: HealthCheckResult };

/**
 * Liveness and readiness (@nestjs/terminus), for api and worker alike. Liveness asks only whether
 * the process answers (an orchestrator restarts it otherwise): a PostgreSQL or Redis outage must
 * not restart every process. Readiness asks whether it can do its work now: PostgreSQL and Redis
 * answer, and it is not shutting down (a load balancer sends it nothing new otherwise).
 */
@Injectable()
export class Probes {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly prisma: PrismaService,
    private readonly redis: RedisService,
    private readonly work: InFlightWork,
  ) {}

  live(): Promise<ProbeAnswer> {
    return this.run([]);
  }

  ready(): Promise<ProbeAnswer> {
    return this.run([
      () => this.dependency('postgres', () => this.prisma.isUp()),
      () => this.dependency('redis', () => this.redis.isUp()),
      () => (this.work.accepting ? this.indicator.check('accepting').up() : this.indicator.check('accepting').down('shutting down')),
    ]);
  }

  private async dependency<K extends string>(key: K, isUp: () => Promise<boolean>) {
    const session = this.indicator.check(key);
    const up = await Promise.race([isUp(), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), CHECK_TIMEOUT_MS).unref())]);
    return up ? session.up() : session.down();
  }

  private async run(checks: Parameters<HealthCheckService['check']>[0]): Promise<ProbeAnswer> {
    try {
      return { ok: true, body: await this.health.check(checks) };
    } catch (err) {
      // terminus throws a 503 whose response is the result, failing checks included
      if (err instanceof ServiceUnavailableException) return { ok: false, body: err.getResponse() as HealthCheckResult };
      throw err;
    }
  }
}
