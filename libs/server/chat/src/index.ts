export * from './chat.module';
export * from './access/conversation-access.service';
export * from './realtime-publisher.port';
