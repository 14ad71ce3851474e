import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { ZId, zText } from '@chatbox/contracts';
import { AppError } from './app-error';
import { CursorDate, decodeCursor, encodeCursor } from './cursor';

const Key = z.tuple([CursorDate, ZId, zText()]);
const id = '0e8a5b2c-1234-4abc-8def-0123456789ab';

test('a cursor the api wrote reads back as its typed key; an id in it in its one spelling', () => {
  const at = new Date('2026-12-06T01:02:03.456Z');
  assert.deepEqual(decodeCursor(encodeCursor([at.toISOString(), id.toUpperCase(), 'x']), Key), [at, id, 'x']);
  assert.equal(decodeCursor(undefined, Key), undefined);
  assert.equal(decodeCursor('', Key), undefined);
});

test('anything else is 400 naming the cursor: wrong arity, types, dates PostgreSQL cannot hold, NUL, lone surrogates, not JSON', () => {
  const bad = [
    encodeCursor([new Date().toISOString(), id]),
    encodeCursor([new Date().toISOString(), id, 'x', 'extra']),
    encodeCursor([Date.now(), id, 'x']),
    ...['-010000-01-01T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '0000-01-01T00:00:00.000Z', '2026-13-01T00:00:00.000Z', '2026-12-06'].map((at) => encodeCursor([at, id, 'x'])),
    encodeCursor([new Date().toISOString(), 'not-an-id', 'x']),
    encodeCursor([new Date().toISOString(), id, 'a\u0000b']),
    encodeCursor([new Date().toISOString(), id, '\ud800']),
    Buffer.from('{not json').toString('base64url'),
  ];
  for (const cursor of bad) {
    assert.throws(
      () => decodeCursor(cursor, Key),
      (err: unknown) => err instanceof AppError && err.code === 'validation_failed' && err.fields?.cursor === 'is not a valid cursor',
      cursor,
    );
  }
});
