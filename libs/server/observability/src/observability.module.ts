import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { InFlightWork } from '@chatbox/server-common';
import { JsonLogsModule } from './json-logs.module';
import { Metrics } from './metrics.service';
import { OpsServer } from './ops-server';
import { Probes } from './probes.service';

/**
 * Probes, metrics, JSON logs and the work in flight, for api and worker; main.ts opens the operations port
 * (OpsServer.listen). Global: the edges and the jobs count into the one Metrics.
 */
@Global()
@Module({
  // failing readiness is an answer, not an error worth a log line on every probe
  imports: [TerminusModule.forRoot({ logger: false }), JsonLogsModule],
  providers: [InFlightWork, Metrics, Probes, OpsServer],
  exports: [InFlightWork, Metrics, OpsServer],
})
export class ObservabilityModule {}
