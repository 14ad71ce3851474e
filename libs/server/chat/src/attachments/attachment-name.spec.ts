import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LIMITS } from '@chatbox/contracts';
import { sanitizeFileName, UNNAMED } from './attachment-name';

test('folders, control characters and leading dots go; the name stays readable', () => {
  assert.equal(sanitizeFileName('../../etc/passwd'), 'passwd');
  assert.equal(sanitizeFileName('C:\\Users\\ann\\report final.pdf'), 'report final.pdf');
  assert.equal(sanitizeFileName('evil\u0000name\r\n.txt'), 'evilname.txt');
  assert.equal(sanitizeFileName('right\u202eto-left.txt'), 'rightto-left.txt');
  assert.equal(sanitizeFileName('...hidden'), 'hidden');
  assert.equal(sanitizeFileName('  spaced   out .png '), 'spaced out .png');
  assert.equal(sanitizeFileName('Grüße 😀.png'), 'Grüße 😀.png');
});

test('an empty or unusable name becomes a placeholder', () => {
  for (const raw of [undefined, '', '   ', '..', '/', 'a/', '\u0000']) assert.equal(sanitizeFileName(raw), UNNAMED, String(raw));
});

test('a long name is shortened before its extension', () => {
  const name = sanitizeFileName(`${'a'.repeat(400)}.jpeg`);
  assert.equal([...name].length, LIMITS.attachmentNameMax);
  assert.ok(name.endsWith('a.jpeg'));
  assert.equal([...sanitizeFileName('😀'.repeat(300))].length, LIMITS.attachmentNameMax);
});
