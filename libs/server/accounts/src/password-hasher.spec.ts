import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PasswordHasher } from './password-hasher';

const hasher = new PasswordHasher(4);

test('hashes are bcrypt and never contain the password', async () => {
  const hash = await hasher.hash('correct horse battery');
  assert.match(hash, /^\$2[aby]\$04\$/);
  assert.ok(!hash.includes('correct horse'));
  assert.equal(await hasher.verify('correct horse battery', hash), true);
  assert.equal(await hasher.verify('wrong horse battery', hash), false);
});

test('two long passwords sharing their first 72 bytes are different passwords', async () => {
  const prefix = 'x'.repeat(80);
  const hash = await hasher.hash(`${prefix}-one`);
  assert.equal(await hasher.verify(`${prefix}-two`, hash), false);
});

test('verifying against a missing hash fails', async () => {
  assert.equal(await hasher.verify('anything at all', undefined), false);
});
