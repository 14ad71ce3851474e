import type { PrismaService } from '@chatbox/server-db';

/**
 * Conversation fixtures as plain database writes, for tests that need a group or a direct chat
 * without going through the group endpoints.
 */
export async function createGroup(prisma: PrismaService, ownerId: string, memberIds: readonly string[] = [], name = 'test group'): Promise<string> {
  const group = await prisma.conversation.create({
    data: {
      kind: 'group',
      name,
      visibility: 'private',
      memberships: {
        create: [
          { userId: ownerId, role: 'owner' },
          ...memberIds.filter((id) => id !== ownerId).map((userId) => ({ userId, role: 'member' as const })),
        ],
      },
    },
    select: { id: true },
  });
  return group.id;
}

export async function createDirect(prisma: PrismaService, a: string, b: string): Promise<string> {
  const [low, high] = [a, b].sort();
  const direct = await prisma.conversation.create({
    data: { kind: 'direct', directKey: `${low}:${high}`, memberships: { create: [{ userId: a }, { userId: b }] } },
    select: { id: true },
  });
  return direct.id;
}

export async function addMember(prisma: PrismaService, conversationId: string, userId: string): Promise<void> {
  await prisma.membership.create({ data: { conversationId, userId, role: 'member' } });
}

export async function removeMember(prisma: PrismaService, conversationId: string, userId: string): Promise<void> {
  await prisma.membership.delete({ where: { conversationId_userId: { conversationId, userId } } });
}

export async function allConversationId(prisma: PrismaService): Promise<string> {
  return (await prisma.conversation.findFirstOrThrow({ where: { kind: 'all' }, select: { id: true } })).id;
}
