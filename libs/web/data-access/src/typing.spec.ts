import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TypingSender, typingLine, typingNow, withoutTyping, withTyping } from './typing';

test('typing shows until `until` or their message', () => {
  let t = withTyping({}, 'c', 'bob', 1000);
  t = withTyping(t, 'c', 'ann', 3000);
  assert.deepEqual(typingNow(t, 'c', 500), ['bob', 'ann']);
  assert.deepEqual(typingNow(t, 'c', 1500), ['ann']);
  assert.deepEqual(typingNow(withoutTyping(t, 'c', 'ann'), 'c', 1500), []);
});

test('the sender throttles to one event per relay interval per conversation', () => {
  let now = 0;
  const sent: string[] = [];
  const s = new TypingSender((id) => sent.push(`${id}@${now}`), () => now);
  s.typed('c');
  now = 500;
  s.typed('c');
  s.typed('d');
  now = 2100;
  s.typed('c');
  s.sent('d');
  s.typed('d');
  assert.deepEqual(sent, ['c@0', 'd@500', 'c@2100', 'd@2100']);
});

test('typing line', () => {
  assert.equal(typingLine(['Alice']), 'Alice is typing…');
  assert.equal(typingLine(['Alice', 'Bob']), 'Alice and Bob are typing…');
  assert.equal(typingLine(['a', 'b', 'c']), 'Several people are typing…');
});
