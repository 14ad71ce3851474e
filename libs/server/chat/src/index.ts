export * from './chat.module';
export * from './access/conversation-access.service';
export * from './realtime-publisher.port';
export * from './messages/messages.module';
export * from './messages/message.service';
export * from './messages/message.repository';
export * from './messages/fanout-scheduler.port';
export * from './messages/message-fanout.service';
