import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '@chatbox/server-common';
import { assertAcceptablePassword, commonPasswords, isCommonPassword } from './password-policy';

test('the shipped list holds thousands of distinct passwords of 8+ characters', () => {
  const list = commonPasswords();
  assert.ok(list.size >= 2000, `only ${list.size}`);
  for (const p of list) assert.ok(p.length >= 8 && p === p.toLowerCase(), p);
});

test('common passwords are refused in any case and any Unicode compatibility form', () => {
  for (const p of ['password1', 'Password123', 'QWERTY123', '1q2w3e4r', 'iloveyou', 'ｐａｓｓｗｏｒｄ１']) {
    assert.equal(isCommonPassword(p), true, p);
  }
  assert.throws(() => assertAcceptablePassword('Password1'), (err: AppError) => err.code === 'validation_failed' && err.fields?.password !== undefined);
  assert.throws(() => assertAcceptablePassword('letmein123', 'newPassword'), (err: AppError) => err.fields?.newPassword !== undefined);
});

test('ordinary passphrases pass', () => {
  for (const p of ['correct horse battery', 'a long password', 'tram-violet-otter-42']) {
    assert.equal(isCommonPassword(p), false, p);
    assert.doesNotThrow(() => assertAcceptablePassword(p));
  }
});
