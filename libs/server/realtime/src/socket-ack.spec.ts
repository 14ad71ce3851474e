import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Logger } from '@nestjs/common';
import { AppError } from '@chatbox/server-common';
import { toErrorAck } from './socket-ack';

const quiet = { error: () => undefined } as unknown as Logger;

test('a lost database connection is acknowledged as unavailable, like the HTTP 503', () => {
  const lost = Object.assign(new Error('Database error. Code: `57P01`. Message: `terminating connection due to administrator command`'), {
    name: 'PrismaClientKnownRequestError',
  });
  assert.equal(toErrorAck(lost, quiet, 'message:send').error.code, 'unavailable');
  assert.equal(toErrorAck(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), quiet, 'message:send').error.code, 'unavailable');
});

test('domain errors keep their code and anything else is internal', () => {
  assert.equal(toErrorAck(AppError.notFound('Conversation'), quiet, 'message:send').error.code, 'not_found');
  assert.equal(toErrorAck(new TypeError('boom'), quiet, 'message:send').error.code, 'internal');
});
