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
  // what Prisma and pg said while the PostgreSQL drill stopped and started the server
  for (const message of [
    "Invalid `prisma.conversation.findUnique()` invocation: Can't reach database server at 127.0.0.1:43979",
    'Raw query failed. Code: `57P03`. Message: `the database system is shutting down`',
    'Raw query failed. Code: `N/A`. Message: `Server has closed the connection.`',
    'Client has encountered a connection error and is not queryable',
  ]) {
    assert.equal(toErrorAck(new Error(message), quiet, 'message:send').error.code, 'unavailable', message);
  }
});

test('domain errors keep their code and anything else is internal', () => {
  assert.equal(toErrorAck(AppError.notFound('Conversation'), quiet, 'message:send').error.code, 'not_found');
  assert.equal(toErrorAck(new TypeError('boom'), quiet, 'message:send').error.code, 'internal');
});
