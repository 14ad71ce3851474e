import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TMessage } from '@chatbox/contracts';
import { aMessage, person } from '@chatbox/contracts/testing';
import { ChangeTracker } from './change-tracker';
import { showsEdit } from './phases/mixed-traffic.phase';

const state = (eventSeq: number, body: string, deleted = false): TMessage =>
  aMessage({ id: 'm1', seq: 1, eventSeq, deletedAt: deleted ? new Date(0).toISOString() : null, sender: person('s'), body, clientMsgId: 'cm1', createdAt: new Date(0).toISOString() });

// The 2026-12-06 loss with two workers (bench/README.md, issue 19): edits 104 and 105 of one
// message in one batch; the other worker took the lock first and filled the gap from the
// database, sending the message's current state (105) and skipping the superseded 104; the
// recipients had 105 before edit 104's answer came, which the tracker needed to know that 105
// includes 104, and counted 104 lost.
test('an edit whose later state arrived before its answer reached the recipient', () => {
  const t = new ChangeTracker();
  const first = t.start('edit', 'm1', ['r1', 'r2'], showsEdit('edit 1'), 's');
  const second = t.start('edit', 'm1', ['r1', 'r2'], showsEdit('edit 2'), 's');
  t.received('r1', state(105, 'edit 2'));
  t.received('r2', state(105, 'edit 2'));
  t.done(second, { messageId: 'm1', eventSeq: 105 });
  t.done(first, { messageId: 'm1', eventSeq: 104 });
  const s = t.summary();
  assert.deepEqual({ expected: s.expected, delivered: s.delivered, lost: s.lost, shownBeforeAnswer: s.shownBeforeAnswer }, { expected: 4, delivered: 4, lost: 0, shownBeforeAnswer: 2 });
  assert.equal(s.latencyByKindMs.edit.count, 4);
});

test('a state from before the edit does not show it, whenever the answer comes', () => {
  const t = new ChangeTracker();
  const edit = t.start('edit', 'm1', ['r1', 'r2'], showsEdit('edit 1'), 's');
  t.received('r1', state(103, 'original')); // an earlier change (a reaction), delivered before the edit
  t.done(edit, { messageId: 'm1', eventSeq: 104 });
  t.received('r2', state(103, 'original'));
  t.received('r2', state(104, 'edit 1'));
  const s = t.summary();
  assert.deepEqual({ delivered: s.delivered, lost: s.lost }, { delivered: 1, lost: 1 });
  // the report names the lost one and what its recipient last saw of the message
  assert.equal(s.lostDeliveries.length, 1);
  const [lost] = s.lostDeliveries;
  assert.deepEqual(
    { kind: lost.kind, recipientId: lost.recipientId, messageId: lost.messageId, conversationId: lost.conversationId, eventSeq: lost.eventSeq, lastSeen: lost.lastSeen?.eventSeq, states: lost.lastSeen?.states },
    { kind: 'edit', recipientId: 'r1', messageId: 'm1', conversationId: 'c', eventSeq: 104, lastSeen: 103, states: [103] },
  );
});

test('after the answer, a later state (or a delete) shows the edit as it arrives', () => {
  const t = new ChangeTracker();
  const edit = t.start('edit', 'm1', ['r1', 'r2'], showsEdit('edit 1'), 's');
  t.done(edit, { messageId: 'm1', eventSeq: 104 });
  t.received('r1', state(106, 'edit 9'));
  t.received('r2', state(107, '', true));
  assert.equal(t.summary().lost, 0);
});
