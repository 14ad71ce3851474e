import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TConversation, TMessage } from '@chatbox/contracts';
import { aMessage } from '@chatbox/contracts/testing';
import { cleanText, clock, conversationLabel, formatChange, formatConversationRow, formatMessage } from './message-line';

const at = '2026-12-06T09:05:00.000Z';
const alice = { id: 'u1', username: 'alice', displayName: 'Alice' };
const message = (over: Partial<TMessage> = {}): TMessage =>
  aMessage({ id: 'm1', conversationId: 'c1', seq: 12, eventSeq: 20, sender: alice, body: 'hello', clientMsgId: 'k1', createdAt: at, ...over });

describe('message lines', () => {
  test('time, conversation, seq, sender and text', () => {
    assert.equal(formatMessage(message(), { label: '#ops' }), `${clock(at)} #ops [12] alice: hello`);
    assert.match(clock(at), /^\d\d:\d\d$/);
  });

  test('escape sequences and direction overrides in a body cannot reach the terminal', () => {
    const line = formatMessage(message({ body: 'hi\u001b[2J\u001b]0;owned\u0007 \u202eevil' }), { label: '#ops' });
    assert.ok(!/[\p{Cc}\u202e]/u.test(line), JSON.stringify(line));
    assert.equal(cleanText('a\r\nb'), 'a\n    b');
  });

  test('replies, edits, deletes, reactions and files', () => {
    assert.match(formatMessage(message({ threadRootId: 'r', body: 'yes' }), { label: '#ops', rootSeq: 7 }), /alice: ↳\[7\] yes$/);
    assert.match(formatMessage(message({ editedAt: at }), { label: '#ops' }), /hello \(edited\)$/);
    assert.match(formatMessage(message({ deletedAt: at, body: '' }), { label: '#ops' }), /alice: \(deleted\)$/);
    const reacted = message({ reactions: [{ emoji: '👍', userIds: ['a', 'b'] }] });
    assert.match(formatMessage(reacted, { label: '#ops' }), /hello \[👍 2\]$/);
    const withFile = message({ attachments: [{ id: 'a', name: 'plan.pdf', contentType: 'application/pdf', size: 1, url: '/x', thumbnailUrl: null, width: null, height: null }] });
    assert.match(formatMessage(withFile, { label: '#ops' }), /hello \[file: plan\.pdf\]$/);
  });

  test('a change is shown only when it is one a reader cares about', () => {
    const before = message();
    assert.match(formatChange(before, message({ editedAt: at, body: 'hello!' }), { label: '#ops' }) ?? '', /^edited: .* hello! \(edited\)$/);
    assert.equal(formatChange(before, message({ deletedAt: at, body: '' }), { label: '#ops' }), '#ops [12] alice deleted a message');
    assert.equal(formatChange(before, message({ reactions: [{ emoji: '🎉', userIds: ['b'] }] }), { label: '#ops' }), '#ops [12] reactions: [🎉 1]');
    assert.equal(formatChange(before, message({ replyCount: 1, eventSeq: 30 }), { label: '#ops' }), null);
    // a message from before this run: its edit and delete show, a reaction does not
    assert.match(formatChange(undefined, message({ editedAt: at }), { label: '#ops' }) ?? '', /^edited: /);
    assert.equal(formatChange(undefined, message({ reactions: [{ emoji: '🎉', userIds: ['b'] }] }), { label: '#ops' }), null);
  });

  test('conversation rows name direct conversations by the peer and show unread counts', () => {
    const conv = { kind: 'direct', name: '', peer: { username: 'bob' }, unread: 3, memberCount: 2 } as unknown as TConversation;
    assert.equal(conversationLabel(conv), '@bob');
    assert.equal(formatConversationRow(conv), '  @bob  3 unread');
    const group = { kind: 'group', name: 'ops', visibility: 'public', unread: 0, memberCount: 4 } as unknown as TConversation;
    assert.equal(formatConversationRow(group), '  #ops  (4 members, public)');
  });
});
