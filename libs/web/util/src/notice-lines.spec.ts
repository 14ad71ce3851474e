import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TMessage, TNotice, TNoticeKind } from '@chatbox/contracts';
import { mergeNotices, noticeText, placeNotices } from './notice-lines';

const person = (name: string) => ({ id: name, username: name.toLowerCase(), displayName: name });
const notice = (eventSeq: number, afterSeq: number, kind: TNoticeKind = 'joined', users: string[] = []): TNotice => ({
  id: `n${eventSeq}`, conversationId: 'c', eventSeq, afterSeq, kind, actor: person('Ann'), users: users.map(person), createdAt: '2026-01-01T00:00:00.000Z',
});
const msg = (seq: number) => ({ id: `m${seq}`, seq }) as TMessage;

test('what each notice says', () => {
  assert.deepEqual(
    [
      notice(0, 0, 'created', ['Bob', 'Cy']),
      notice(0, 0, 'created'),
      notice(1, 0, 'joined'),
      notice(2, 0, 'left'),
      notice(3, 0, 'added', ['Bob', 'Cy', 'Dee', 'Eve', 'Fay']),
      notice(4, 0, 'removed', ['Bob']),
      notice(5, 0, 'owner', ['Cy']),
    ].map(noticeText),
    [
      'Ann created the group with Bob and Cy',
      'Ann created the group',
      'Ann joined',
      'Ann left',
      'Ann added Bob, Cy and 3 others',
      'Ann removed Bob',
      'Ownership passed from Ann to Cy',
    ],
  );
});

test('notices go before the first message after the seq they follow; later ones at the end', () => {
  const { before, after } = placeNotices([msg(1), msg(2), msg(4)], [notice(9, 4), notice(0, 0, 'created'), notice(3, 2), notice(4, 3)]);
  assert.deepEqual([...before].map(([id, ns]) => [id, ns.map((n) => n.id)]), [['m1', ['n0']], ['m4', ['n3', 'n4']]]);
  assert.deepEqual(after.map((n) => n.id), ['n9']);
});

test('merging keeps each notice once, in stream order, and the same list when nothing is new', () => {
  const held = [notice(2, 1)];
  assert.equal(mergeNotices(held, [notice(2, 1)]), held);
  assert.deepEqual(mergeNotices(held, [notice(5, 1), notice(0, 0)]).map((n) => n.eventSeq), [0, 2, 5]);
});
