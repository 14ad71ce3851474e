export * from './redis-realtime.publisher';
export * from './realtime-publisher.module';
export * from './redis-socket.disconnector';
export * from './socket-rooms';
export * from './socket-guards';
