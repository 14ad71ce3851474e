import { Global, Module } from '@nestjs/common';
import { PresenceStore } from './presence.store';

@Global()
@Module({ providers: [PresenceStore], exports: [PresenceStore] })
export class PresenceModule {}
