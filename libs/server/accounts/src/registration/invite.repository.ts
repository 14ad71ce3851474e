import { createHash, randomBytes } from 'node:crypto';
import { Prisma } from '@chatbox/server-db';

/** Only the digest is stored: a database dump holds no usable code. */
export const inviteCodeHash = (code: string): string => createHash('sha256').update(code, 'utf8').digest('hex');

/** 128 random bits as 22 base64url characters: fits a link, cannot be guessed. */
const newInviteCode = (): string => randomBytes(16).toString('base64url');

/** Marks a live invite used by userId; false when it is unknown, used or expired. */
export async function consumeInvite(tx: Prisma.TransactionClient, codeHash: string, userId: string): Promise<boolean> {
  const now = new Date();
  const { count } = await tx.invite.updateMany({
    where: { codeHash, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now, usedById: userId },
  });
  return count === 1;
}

/** Stores a new invite; answers its code (the only time it exists in clear). */
export async function createInvite(tx: Prisma.TransactionClient, createdById: string, expiresAt: Date): Promise<string> {
  const code = newInviteCode();
  await tx.invite.create({ data: { codeHash: inviteCodeHash(code), createdById, expiresAt }, select: { codeHash: true } });
  return code;
}
