import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BATCH_SOCKETS, batchRoom, batchUpdatesRoom, handshakeFeatures, roomsOf, SINGLE_SOCKETS, singleRoom, singleUpdatesRoom } from './socket-rooms';

test('only known feature names count; anything malformed names nothing', () => {
  assert.deepEqual([...handshakeFeatures({ token: 't', features: ['batch', 'teleport', 7, 'batch-updates'] })], ['batch', 'batch-updates']);
  for (const auth of [undefined, null, {}, { features: 'batch' }, { features: [{}] }]) assert.equal(handshakeFeatures(auth).size, 0);
});

test('a socket joins its user, its session and the capability rooms of what it named', () => {
  assert.deepEqual(roomsOf('u', 's', handshakeFeatures({ features: ['batch'] })), ['user:u', 'session:s', batchRoom('u'), BATCH_SOCKETS, singleUpdatesRoom('u')]);
  assert.deepEqual(roomsOf('u', 's', handshakeFeatures({})), ['user:u', 'session:s', singleRoom('u'), SINGLE_SOCKETS, singleUpdatesRoom('u')]);
  assert.deepEqual(roomsOf('u', 's', handshakeFeatures({ features: ['batch-updates'] })), ['user:u', 'session:s', singleRoom('u'), SINGLE_SOCKETS, batchUpdatesRoom('u')]);
});
