export * from './redis-realtime.publisher';
export * from './realtime-publisher.module';
export * from './redis-io.adapter';
export * from './realtime-gateway.module';
export * from './chat.gateway';
