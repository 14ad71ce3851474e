import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZRegisterBody } from '@chatbox/contracts';
import { AppError } from './app-error';
import { parseOrThrow } from './validate';

test('every bad field of a body is named', () => {
  try {
    parseOrThrow(ZRegisterBody, { username: 'a', password: 5, displayName: '', extra: 1 });
    assert.fail('expected a validation error');
  } catch (err) {
    assert.ok(err instanceof AppError);
    assert.equal(err.code, 'validation_failed');
    assert.deepEqual(Object.keys(err.fields ?? {}).sort(), ['displayName', 'extra', 'password', 'username']);
  }
});

test('a body that is not an object is named "body"', () => {
  assert.throws(() => parseOrThrow(ZRegisterBody, 'nope'), (err: AppError) => err.fields?.body !== undefined);
});
