import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TMessage } from '@chatbox/contracts';
import { aMessage, person } from '@chatbox/contracts/testing';
import { notificationText, shouldNotify } from './desktop-notifications';

const message = (sender: string, mentions: TMessage['mentions'] = { userIds: [], everyone: false }, body = 'hello'): TMessage =>
  aMessage({ id: 'm1', seq: 1, sender: person(sender, sender.toUpperCase()), body, clientMsgId: 'k', createdAt: '2026-01-01T00:00:00Z', mentions });

test('only while hidden, never for my own, as the level says', () => {
  const plain = message('ann');
  const mention = message('ann', { userIds: ['me'], everyone: false });
  const everyone = message('ann', { userIds: [], everyone: true });
  assert.equal(shouldNotify(plain, { notify: 'all' }, 'me', false), false, 'the tab is visible');
  assert.equal(shouldNotify(message('me'), { notify: 'all' }, 'me', true), false);
  assert.deepEqual([plain, mention, everyone].map((m) => shouldNotify(m, { notify: 'all' }, 'me', true)), [true, true, true]);
  assert.deepEqual([plain, mention, everyone].map((m) => shouldNotify(m, { notify: 'mentions' }, 'me', true)), [false, true, true]);
  assert.deepEqual([plain, mention, everyone].map((m) => shouldNotify(m, { notify: 'none' }, 'me', true)), [false, false, false]);
});

test('the text says who and where, the body shortened to one line', () => {
  assert.deepEqual(notificationText(message('ann', undefined, 'a\n\nb'), { kind: 'direct', name: 'ANN' }), { title: 'ANN', body: 'a b' });
  assert.equal(notificationText(message('ann'), { kind: 'group', name: 'team' }).title, 'ANN in team');
  assert.ok(notificationText(message('ann', undefined, 'x'.repeat(500)), { kind: 'all', name: 'all' }).body.length <= 140);
});

test('files sent without text are named in the notification', () => {
  const file = { id: 'a', name: 'plan.pdf', contentType: 'application/pdf', size: 1, url: '/u', thumbnailUrl: null, width: null, height: null };
  const direct = { kind: 'direct', name: 'ANN' } as const;
  assert.equal(notificationText({ ...message('ann', undefined, ''), attachments: [file] }, direct).body, 'Sent plan.pdf');
  assert.equal(notificationText({ ...message('ann', undefined, ''), attachments: [file, { ...file, id: 'b' }] }, direct).body, 'Sent 2 files');
  assert.equal(notificationText({ ...message('ann', undefined, 'see this'), attachments: [file] }, direct).body, 'see this');
});
