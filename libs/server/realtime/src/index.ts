export * from './redis-realtime.publisher';
export * from './realtime-publisher.module';
