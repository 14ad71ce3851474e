export * from './prisma.service';
export * from './db.module';
export { Prisma } from './generated/client';
export type { ConversationKind, MemberRole, Visibility } from './generated/enums';
