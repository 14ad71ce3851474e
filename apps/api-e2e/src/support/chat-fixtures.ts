import assert from 'node:assert/strict';
import type { TAuthResponse, TConversation } from '@chatbox/contracts';
import type { TestApp } from '@chatbox/server-testing';

export type Person = TAuthResponse & { password: string; id: string; token: string };

export async function person(t: TestApp, overrides: { username?: string; displayName?: string } = {}): Promise<Person> {
  const registered = await t.client.registerUser(overrides);
  return { ...registered, id: registered.user.id, token: registered.accessToken };
}

/** n fresh users, registered one after another (bursts of registrations only test the pool). */
export async function people(t: TestApp, n: number): Promise<Person[]> {
  const out: Person[] = [];
  for (let i = 0; i < n; i++) out.push(await person(t));
  return out;
}

export async function createGroup(
  t: TestApp,
  owner: Person,
  body: { name?: string; visibility?: 'public' | 'private'; memberIds?: string[] } = {},
): Promise<TConversation> {
  const res = await t.client.post('/groups', { name: 'a group', ...body }, owner.token);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as TConversation;
}

/** Everything a membership operation could change, comparable before and after. */
export async function snapshot(t: TestApp, conversationId: string): Promise<string> {
  const [conversation, memberships] = await Promise.all([
    t.prisma.conversation.findUnique({ where: { id: conversationId } }),
    t.prisma.membership.findMany({ where: { conversationId }, orderBy: { userId: 'asc' } }),
  ]);
  return JSON.stringify({ conversation, memberships });
}

export async function roleOf(t: TestApp, conversationId: string, userId: string): Promise<string | null> {
  const row = await t.prisma.membership.findUnique({ where: { conversationId_userId: { conversationId, userId } } });
  return row?.role ?? null;
}

export async function allConversationId(t: TestApp): Promise<string> {
  return (await t.prisma.conversation.findFirstOrThrow({ where: { kind: 'all' }, select: { id: true } })).id;
}
