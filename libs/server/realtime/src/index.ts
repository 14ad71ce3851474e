export * from './redis-realtime.publisher';
export * from './realtime-publisher.module';
export * from './redis-socket.disconnector';
export * from './socket-rooms';
export * from './socket-guards';
export * from './redis-io.adapter';
export * from './realtime-gateway.module';
export * from './chat.gateway';
