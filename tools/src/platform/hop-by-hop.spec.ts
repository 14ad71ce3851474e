import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endToEndHeaders } from './hop-by-hop';

test("a forwarded answer keeps its own headers and drops the api connection's", () => {
  const answer = {
    'content-type': 'application/json',
    'content-length': '12',
    'x-request-id': 'r1',
    'set-cookie': ['a=1', 'b=2'],
    connection: 'keep-alive, x-hop',
    'keep-alive': 'timeout=125',
    'transfer-encoding': 'chunked',
    'x-hop': 'only for this connection',
  };
  assert.deepEqual(endToEndHeaders(answer), { 'content-type': 'application/json', 'content-length': '12', 'x-request-id': 'r1', 'set-cookie': ['a=1', 'b=2'] });
});

test('a forwarded request drops Connection, Keep-Alive, TE and Upgrade', () => {
  assert.deepEqual(endToEndHeaders({ host: 'h', authorization: 'Bearer t', connection: 'close', te: 'trailers', upgrade: 'h2c', 'proxy-connection': 'keep-alive' }), {
    host: 'h',
    authorization: 'Bearer t',
  });
});
