export * from './prisma.service';
export * from './db.module';
export * from './database-connections';
export { Prisma } from './generated/client';
export type { ConversationKind, MemberRole, Visibility } from './generated/enums';
