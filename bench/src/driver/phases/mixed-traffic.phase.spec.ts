import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kindOf, MIX } from './mixed-traffic.phase';

test('phase E draws each kind of action at its share, evenly over any stretch', () => {
  for (const [from, n] of [[0, 10_000], [5_000, 200]]) {
    const counts = new Map<string, number>();
    for (let k = from; k < from + n; k++) counts.set(kindOf(k), (counts.get(kindOf(k)) ?? 0) + 1);
    for (const [kind, share] of MIX) assert.ok(Math.abs((counts.get(kind) ?? 0) / n - share) < 0.02, `${kind}: ${counts.get(kind)} of ${n}`);
  }
});
