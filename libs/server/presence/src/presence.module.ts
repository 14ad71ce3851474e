import { Global, Module } from '@nestjs/common';
import { PresenceStore } from './presence.store';
import { SocketSlots } from './socket-slots.store';

@Global()
@Module({ providers: [PresenceStore, SocketSlots], exports: [PresenceStore, SocketSlots] })
export class PresenceModule {}
