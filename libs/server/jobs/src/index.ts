export * from './jobs.module';
export * from './fanout.queue';
export * from './fanout.processor';
export * from './outbox.relay';
export * from './queue.registry';
export * from './attachment-cleanup';
export * from './api-fanout';
export * from './range-delivery';
