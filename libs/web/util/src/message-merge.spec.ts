import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TMessage } from '@chatbox/contracts';
import { aMessage, person } from '@chatbox/contracts/testing';
import { firstGapAfter, lastSeqOf, mergeMessages } from './message-merge';

const msg = (seq: number, senderId = 'u1', clientMsgId = `c${seq}`): TMessage =>
  aMessage({ id: `m${seq}`, seq, sender: person(senderId), body: `body ${seq}`, clientMsgId, createdAt: new Date(Date.UTC(2026, 0, 1, 0, seq)).toISOString() });
const seqs = (list: readonly TMessage[]) => list.map((m) => m.seq);

describe('mergeMessages', () => {
  test('orders by seq whatever the arrival order', () => {
    assert.deepEqual(seqs(mergeMessages([msg(2)], [msg(5), msg(1), msg(3)])), [1, 2, 3, 5]);
  });

  test('drops duplicates by id and by seq (socket event and history page overlapping)', () => {
    const merged = mergeMessages([msg(1), msg(2)], [msg(2), msg(3), msg(3)]);
    assert.deepEqual(seqs(merged), [1, 2, 3]);
  });

  test('a state with a higher eventSeq replaces the held one; an older or equal one is dropped', () => {
    const edited = { ...msg(2), body: 'edited', eventSeq: 9, editedAt: '2026-01-01T01:00:00.000Z' };
    const merged = mergeMessages([msg(1), msg(2)], [edited]);
    assert.equal(merged[1].body, 'edited');
    assert.equal(mergeMessages(merged, [msg(2)]), merged, 'the older state (a late history page) is ignored');
    const twice = mergeMessages([msg(2)], [{ ...edited, eventSeq: 12, body: 'later' }, edited]);
    assert.equal(twice[0].body, 'later', 'within one batch the higher eventSeq wins too');
  });

  test('returns the same array when nothing is new', () => {
    const list = [msg(1), msg(2)];
    assert.equal(mergeMessages(list, [msg(2)]), list);
    assert.equal(mergeMessages(list, []), list);
  });
});

describe('firstGapAfter', () => {
  test('finds the seq after which messages are missing', () => {
    assert.equal(firstGapAfter([msg(4), msg(5), msg(8), msg(9)]), 5);
  });
  test('null for a contiguous or empty list', () => {
    assert.equal(firstGapAfter([msg(4), msg(5), msg(6)]), null);
    assert.equal(firstGapAfter([]), null);
  });
  test('lastSeqOf is 0 for nothing held', () => {
    assert.equal(lastSeqOf([]), 0);
    assert.equal(lastSeqOf([msg(1), msg(7)]), 7);
  });
});
