import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isolate } from './bidi';

test('a name is wrapped in a first-strong isolate and its pop', () => {
  assert.equal(isolate('Eve\u202Egnp'), '\u2068Eve\u202Egnp\u2069');
  assert.equal(`Message ${isolate('سارا')}`, 'Message \u2068سارا\u2069');
});
