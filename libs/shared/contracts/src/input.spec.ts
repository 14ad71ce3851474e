import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { z } from 'zod';
import * as contracts from './index';
import { LIMITS } from './limits';

const id = '0e8a5b2c-1234-4abc-8def-0123456789ab';

/**
 * A valid input for every input schema of the contract (request bodies, queries, socket
 * payloads). A new one without a sample fails the first test, so it gets the checks below too.
 */
const SAMPLES: Record<string, unknown> = {
  ZRegisterBody: { username: 'alice', password: 'correct horse battery', displayName: 'Alice', inviteCode: 'AbCdEfGhIjKlMnOpQrStUv' },
  ZLoginBody: { username: 'alice', password: 'whatever' },
  ZChangePasswordBody: { currentPassword: 'old one', newPassword: 'correct horse battery' },
  ZSendMessageBody: { clientMsgId: 'c-1', body: 'hello', threadRootId: id },
  ZEditMessageBody: { body: 'hello again' },
  ZNotifyBody: { level: 'mentions' },
  ZChangesQuery: { after: '3', limit: '20' },
  ZUpdateMeBody: { displayName: 'Alice', shareReadReceipts: false },
  ZSocketTypingPayload: { conversationId: id },
  ZReadBody: { seq: 1 },
  ZHistoryQuery: { before: '10', thread: id, limit: '20' },
  ZCreateGroupBody: { name: 'Team', visibility: 'public', memberIds: [id], description: 'Questions welcome', anonymousQuestions: true },
  ZUpdateGroupBody: { name: 'Team 2', description: 'Ask anything', anonymousQuestions: true },
  ZAddMembersBody: { userIds: [id] },
  ZOpenDirectBody: { userId: id },
  ZPageQuery: { limit: '10', cursor: 'WyJ4Il0' },
  ZSearchQuery: { q: 'al', limit: '10', cursor: 'WyJ4Il0' },
  ZUserSearchQuery: { q: 'al', cursor: 'WyJ4Il0' },
  ZGroupSearchQuery: { q: 'te', cursor: 'WyJ4Il0' },
  ZConversationListQuery: { cursor: 'WyJ4Il0' },
  ZMemberListQuery: { cursor: 'WyJ4Il0' },
  ZMessageSearchQuery: { q: 'deploy "release notes" budg*', conversationId: id, from: id, limit: '20', cursor: 'WyJ4Il0' },
  ZSocketSendPayload: { conversationId: id, clientMsgId: 'c-1', body: 'hello' },
  ZSocketReadPayload: { conversationId: id, seq: 3 },
  ZAdminUserQuery: { q: 'al', cursor: 'WyJ4Il0' },
  ZRoleBody: { role: 'admin' },
  ZAdminSettingsBody: { registration: 'invite' },
  ZInviteBody: { expiresInHours: 24 },
  ZAuditQuery: { limit: '20', cursor: 'WyJ4Il0' },
};

/** Shapes the api sends, not receives, whose names look like inputs. */
const OUTPUTS = new Set(['ZErrorBody']);
const inputSchemas = Object.entries(contracts).filter(([name]) => /^Z\w+(Body|Query|Payload)$/.test(name) && !OUTPUTS.has(name)) as Array<[string, z.ZodType]>;

/** Every string in a sample, by its path as the api names a field ("memberIds.0"). */
function stringLeaves(value: unknown, path: string[] = []): string[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, String(i)]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}
function withLeaf(value: unknown, path: string[], replace: (s: string) => string): unknown {
  if (path.length === 0) return replace(value as string);
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string, unknown>;
  copy[path[0]!] = withLeaf(copy[path[0]!], path.slice(1), replace);
  return copy;
}

test('every input schema has a valid sample', () => {
  assert.ok(inputSchemas.length >= Object.keys(SAMPLES).length);
  for (const [name, schema] of inputSchemas) {
    assert.ok(name in SAMPLES, `${name} has no sample in this spec`);
    const parsed = schema.safeParse(SAMPLES[name]);
    assert.ok(parsed.success, `${name}: ${JSON.stringify(parsed.error?.issues)}`);
  }
});

test('NUL and lone surrogates are refused in every string of every input, naming that field', () => {
  for (const [name, schema] of inputSchemas) {
    for (const leaf of stringLeaves(SAMPLES[name])) {
      for (const [what, bad] of [['NUL', (s: string) => `${s}\u0000`], ['a lone high surrogate', (s: string) => `\ud800${s}`], ['a lone low surrogate', (s: string) => `${s.slice(0, 1)}\udc00`]] as const) {
        const parsed = schema.safeParse(withLeaf(SAMPLES[name], leaf, bad));
        assert.ok(!parsed.success, `${name}.${leaf.join('.')} accepted ${what}`);
        assert.ok(
          parsed.error.issues.some((i) => i.path.join('.') === leaf.join('.')),
          `${name}: ${what} must be named as ${leaf.join('.')}: ${JSON.stringify(parsed.error.issues)}`,
        );
      }
    }
  }
});

test('a surrogate pair (an emoji) is one character and fine', () => {
  assert.equal(contracts.ZSendMessageBody.parse({ clientMsgId: 'c😀', body: 'hi 😀' }).body, 'hi 😀');
});

test('ids are parsed into one spelling: lower case', () => {
  assert.equal(contracts.ZId.parse(id.toUpperCase()), id);
  assert.deepEqual(contracts.ZAddMembersBody.parse({ userIds: [id.toUpperCase()] }).userIds, [id]);
  assert.equal(contracts.toId(id.toUpperCase()), id);
  for (const bad of [`${id} `, ` ${id}`, `{${id}}`, id.replace(/-/g, ''), 'not-an-id', 7, null]) assert.equal(contracts.toId(bad), undefined, String(bad));
});

test('names refuse what hides, impersonates or flips the text around them', () => {
  const name = contracts.zName(LIMITS.displayNameMax);
  const refused: Array<[string, RegExp]> = [
    ['Eve\u202Egnp.exe', /formatting/],
    ['\u2067Eve', /formatting/],
    ['E\u200Bve', /formatting/],
    ['E\u200Cve', /formatting/],
    ['a\u200Db', /formatting/],
    ['\u200D👩', /formatting/],
    ['Ev\u00ADe', /formatting/],
    ['\u{E0041}Eve', /formatting/],
    ['Eve\u2028Admin', /separators/],
    ['Eve\nAdmin', /control/],
    ['\u3164', /visible/],
    ['\u115F\u1160', /visible/],
    ['\u0301\u0302', /visible/],
    ['\u2800', /visible/],
    ['\uFE0F', /visible/],
    ['   ', /empty/],
  ];
  for (const [input, why] of refused) {
    const parsed = name.safeParse(input);
    assert.ok(!parsed.success, JSON.stringify(input));
    assert.match(parsed.error.issues[0]!.message, why, JSON.stringify(input));
  }
  for (const ok of ['Eve', 'سارا', 'שלום', 'Zoë', '山田 太郎', '👩‍💻 Anna', '👍🏽', '🏳️‍🌈', 'नमस्ते', 'x😀']) {
    assert.equal(name.parse(ok), ok.normalize('NFKC'), JSON.stringify(ok));
  }
  assert.equal(name.parse('  Ｅｖｅ\u3000'), 'Eve', 'NFKC, then trimmed');
});

test('an anonymous question may carry files, a socket send takes them like REST (issues 17, 18)', () => {
  assert.ok(contracts.ZSendMessageBody.safeParse({ clientMsgId: 'c-1', body: 'who?', anonymous: true, attachmentIds: [id] }).success);
  assert.ok(contracts.ZSendMessageBody.safeParse({ clientMsgId: 'c-1', body: '', attachmentIds: [id] }).success);
  const socket = contracts.ZSocketSendPayload;
  assert.ok(socket.safeParse({ conversationId: id, clientMsgId: 'c-1', body: '', attachmentIds: [id] }).success);
  const empty = socket.safeParse({ conversationId: id, clientMsgId: 'c-1', body: '  ' });
  assert.deepEqual(empty.error?.issues.map((i) => [i.path, i.message]), [[['body'], 'must not be empty']]);
  const tooMany = socket.safeParse({ conversationId: id, clientMsgId: 'c-1', body: 'x', attachmentIds: Array.from({ length: 11 }, (_, i) => `00000000-0000-4000-8000-0000000000${10 + i}`) });
  assert.deepEqual(tooMany.error?.issues.map((i) => i.path[0]), ['attachmentIds']);
});

test('a vanishing room may take anonymous questions (issue 18: they live in Redis with the room)', () => {
  assert.ok(contracts.ZCreateGroupBody.safeParse({ name: 'room', ephemeral: true, anonymousQuestions: true }).success);
});
