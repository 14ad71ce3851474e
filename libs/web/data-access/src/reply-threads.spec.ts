import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TMessage } from '@chatbox/contracts';
import { aMessage } from '@chatbox/contracts/testing';
import { openThread, topLevel, withReplies } from './reply-threads';

const msg = (seq: number, threadRootId: string | null, eventSeq = seq, body = `b${seq}`): TMessage =>
  aMessage({ id: `m${seq}`, seq, eventSeq, body, threadRootId });

test('the open thread keeps its own replies only, newest state of each', () => {
  let t = withReplies(openThread('c', 'm1'), [msg(2, 'm1'), msg(3, null), msg(4, 'm9')], true);
  assert.deepEqual(t?.replies.map((m) => m.seq), [2]);
  assert.equal(t?.loaded, true);
  t = withReplies(t, [msg(2, 'm1', 8, 'edited'), msg(5, 'm1')]);
  assert.deepEqual(t?.replies.map((m) => m.body), ['edited', 'b5']);
  assert.equal(withReplies(null, [msg(2, 'm1')]), null, 'no thread open: nothing kept');
});

test('the main timeline shows top-level messages only', () => {
  assert.deepEqual(topLevel([msg(1, null), msg(2, 'm1'), msg(3, null)]).map((m) => m.seq), [1, 3]);
});

test('the root: the newest state seen, from the timeline, a fetch or a live change', () => {
  let t = withReplies(openThread('c', 'm1'), [msg(3, null)]);
  assert.equal(t?.root, null, 'not held yet');
  t = withReplies(t, [msg(1, null, 4, 'root')]);
  assert.equal(t?.root?.body, 'root');
  t = withReplies(t, [msg(1, null, 2, 'older state')]);
  assert.equal(t?.root?.body, 'root', 'an older state does not replace it');
  t = withReplies(t, [{ ...msg(1, null, 9, 'root'), replyCount: 2 }]);
  assert.equal(t?.root?.replyCount, 2);
});
