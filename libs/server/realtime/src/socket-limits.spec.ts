import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import express from 'express';
import { clientAddress } from './socket-limits';

/** Express's own compiled "trust proxy" function for a TRUST_PROXY value, as the api uses it. */
const trustOf = (setting: string) => {
  const app = express();
  app.set('trust proxy', setting);
  return app.get('trust proxy fn') as (address: string, hop: number) => boolean;
};
const handshake = (peer: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress: peer }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

test('the socket client address follows X-Forwarded-For only through trusted proxies, like req.ip', () => {
  const loopback = trustOf('loopback');
  assert.equal(clientAddress(handshake('127.0.0.1', '203.0.113.5'), loopback), '203.0.113.5');
  assert.equal(clientAddress(handshake('::ffff:127.0.0.1', '203.0.113.5'), loopback), '203.0.113.5');
  assert.equal(clientAddress(handshake('127.0.0.1'), loopback), '127.0.0.1');
  // a client reaching the api directly cannot pick its own address
  assert.equal(clientAddress(handshake('198.51.100.7', '203.0.113.5'), loopback), '198.51.100.7');
  // only the hops added by trusted proxies are believed: the client's own entry is not
  assert.equal(clientAddress(handshake('127.0.0.1', '10.9.9.9, 198.51.100.7'), loopback), '198.51.100.7');
  assert.equal(clientAddress(handshake('10.0.0.2', '203.0.113.5, 10.0.0.3'), trustOf('loopback, uniquelocal, 10.0.0.0/8')), '203.0.113.5');
  assert.equal(clientAddress(handshake('127.0.0.1', ' , 203.0.113.5 ,'), loopback), '203.0.113.5');
});
