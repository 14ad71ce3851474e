export * from './observability.module';
export * from './metrics.service';
export * from './ops-server';
export * from './probes.service';
export * from './http-metrics';
export * from './json-logs.module';
