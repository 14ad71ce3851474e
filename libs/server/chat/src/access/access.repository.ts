import { Injectable } from '@nestjs/common';
import { PrismaService } from '@chatbox/server-db';
import type { TConversationKind, TRole, TVisibility } from '@chatbox/contracts';

export type ConversationWithCaller = {
  id: string;
  kind: TConversationKind;
  visibility: TVisibility | null;
  archived: boolean;
  /** The caller's membership, or null when the caller is not a member. */
  membership: { role: TRole; readSeq: number } | null;
};

@Injectable()
export class AccessRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** One query: the conversation and the caller's membership of it. */
  async findWithCaller(conversationId: string, userId: string): Promise<ConversationWithCaller | null> {
    const row = await this.prisma.conversation.findUnique({
      where: { id: conversationId },
      select: {
        id: true,
        kind: true,
        visibility: true,
        archivedAt: true,
        memberships: { where: { userId }, select: { role: true, readSeq: true } },
      },
    });
    if (!row) return null;
    return {
      id: row.id,
      kind: row.kind,
      visibility: row.visibility,
      archived: row.archivedAt !== null,
      membership: row.memberships[0] ?? null,
    };
  }
}
