import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TMessage } from '@chatbox/contracts';
import { aMessage, person } from '@chatbox/contracts/testing';
import { layoutMessages } from './message-layout';

const at = (seq: number, senderId: string, iso: string): TMessage => aMessage({ id: `m${seq}`, seq, sender: person(senderId), body: 'x', createdAt: iso });
const utcDay = (d: Date) => d.toISOString().slice(0, 10);

describe('layoutMessages', () => {
  test('groups consecutive messages of one sender, splits on sender, time window and day', () => {
    const rows = layoutMessages(
      [
        at(1, 'a', '2026-01-01T10:00:00Z'),
        at(2, 'a', '2026-01-01T10:01:00Z'), // same sender, 1 min later: grouped
        at(3, 'b', '2026-01-01T10:02:00Z'), // other sender
        at(4, 'b', '2026-01-01T10:30:00Z'), // same sender, 28 min later: new group
        at(5, 'b', '2026-01-02T00:01:00Z'), // next day
      ],
      utcDay,
    );
    assert.deepEqual(
      rows.map((r) => [r.message.seq, r.day, r.startsGroup]),
      [
        [1, '2026-01-01', true],
        [2, null, false],
        [3, null, true],
        [4, null, true],
        [5, '2026-01-02', true],
      ],
    );
  });

  test('anonymous questions each start their own group: two in a row need not be one person\'s', () => {
    const anonymous = (seq: number, iso: string): TMessage => ({ ...at(seq, 'anonymous', iso), anonymous: true });
    const rows = layoutMessages([anonymous(1, '2026-01-01T10:00:00Z'), anonymous(2, '2026-01-01T10:00:30Z')], utcDay);
    assert.deepEqual(rows.map((r) => r.startsGroup), [true, true]);
  });
});
