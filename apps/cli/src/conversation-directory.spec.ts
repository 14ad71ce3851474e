import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TConversation } from '@chatbox/contracts';
import { ConversationDirectory } from './conversation-directory';

const conv = (over: Partial<TConversation>) => ({ kind: 'group', name: '', lastMessage: null, ...over }) as TConversation;

describe('ConversationDirectory', () => {
  test('finds groups by name and direct conversations by the peer, any case', () => {
    const d = new ConversationDirectory();
    d.upsert(conv({ id: 'g', name: 'Launch crew' }));
    d.upsert(conv({ id: 'a', kind: 'all', name: 'all' }));
    d.upsert(conv({ id: 'd', kind: 'direct', peer: { username: 'Bob' } as TConversation['peer'] }));
    assert.equal(d.group('launch CREW')?.id, 'g');
    assert.equal(d.group('all')?.id, 'a');
    assert.equal(d.direct('bob')?.id, 'd');
    assert.equal(d.group('bob'), undefined);
    assert.deepEqual(d.groupNames().sort(), ['Launch crew', 'all']);
    assert.deepEqual([...d.usernames], ['Bob']);
    assert.equal(d.label('d'), '@Bob');
    d.remove('g');
    assert.equal(d.group('Launch crew'), undefined);
  });

  test('lists the most recently active first', () => {
    const d = new ConversationDirectory();
    const at = (iso: string) => ({ createdAt: iso }) as TConversation['lastMessage'];
    d.upsert(conv({ id: 'old', lastMessage: at('2026-01-01T00:00:00Z') }));
    d.upsert(conv({ id: 'quiet' }));
    d.upsert(conv({ id: 'new', lastMessage: at('2026-02-01T00:00:00Z') }));
    assert.deepEqual(d.all().map((c) => c.id), ['new', 'old', 'quiet']);
  });
});
