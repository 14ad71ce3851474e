import { test } from 'node:test';
import assert from 'node:assert/strict';
import { needsSessionSelection, parseDatabaseUrl } from './database-url';
import { loadConfig } from './app-config';

test('a single-host URL is one host, any session: no failover pool needed', () => {
  const t = parseDatabaseUrl('postgresql://u:p%40ss@127.0.0.1:5433/chatbox?sslmode=disable');
  assert.deepEqual(t.hosts, [{ host: '127.0.0.1', port: 5433 }]);
  assert.equal(t.targetSessionAttrs, 'any');
  assert.deepEqual(t.hostUrls, ['postgresql://u:p%40ss@127.0.0.1:5433/chatbox?sslmode=disable']);
  assert.equal(needsSessionSelection(t), false);
});

test('hosts in the authority, in order, each its own URL keeping user, password, database and parameters', () => {
  const t = parseDatabaseUrl('postgresql://chatbox:s%2Fcret@db1:5432,db2,[::1]:6000/chat?target_session_attrs=read-write&application_name=api');
  assert.deepEqual(t.hosts, [
    { host: 'db1', port: 5432 },
    { host: 'db2', port: 5432 },
    { host: '::1', port: 6000 },
  ]);
  assert.equal(t.targetSessionAttrs, 'read-write');
  assert.deepEqual(t.hostUrls, [
    'postgresql://chatbox:s%2Fcret@db1:5432/chat?application_name=api',
    'postgresql://chatbox:s%2Fcret@db2:5432/chat?application_name=api',
    'postgresql://chatbox:s%2Fcret@[::1]:6000/chat?application_name=api',
  ]);
  assert.equal(needsSessionSelection(t), true);
});

test('hosts and ports as parameters: one port per host, or one for all', () => {
  const perHost = parseDatabaseUrl('postgres://u@/db?host=a,b&port=1,2&target_session_attrs=primary');
  assert.deepEqual(perHost.hosts, [
    { host: 'a', port: 1 },
    { host: 'b', port: 2 },
  ]);
  assert.deepEqual(perHost.hostUrls, ['postgres://u@a:1/db', 'postgres://u@b:2/db']);
  assert.equal(perHost.targetSessionAttrs, 'primary');
  assert.deepEqual(parseDatabaseUrl('postgresql:///db?host=a,b&port=7&user=u').hostUrls, ['postgresql://a:7/db?user=u', 'postgresql://b:7/db?user=u']);
  assert.throws(() => parseDatabaseUrl('postgresql:///db?host=a,b,c&port=1,2'), /3 hosts but 2 ports/);
});

test('a session kind that would pick a replica, a bad port or another scheme is refused with the reason', () => {
  assert.throws(() => parseDatabaseUrl('postgresql://a,b/db?target_session_attrs=prefer-standby'), /prefer-standby is not supported: ChatBox writes/);
  assert.throws(() => parseDatabaseUrl('postgresql://a:99999/db'), /invalid port "99999"/);
  assert.throws(() => parseDatabaseUrl('mysql://a/db'), /must be a postgresql:\/\/ URL/);
});

test('the config accepts a multi-host DATABASE_URL and names what is wrong with a bad one', () => {
  const env = { REDIS_URL: 'redis://127.0.0.1:6379', NODE_ENV: 'test' };
  const url = 'postgresql://postgres@127.0.0.1:5432,127.0.0.1:5433/chatbox?target_session_attrs=read-write';
  assert.equal(loadConfig({ ...env, DATABASE_URL: url }).databaseUrl, url);
  assert.throws(() => loadConfig({ ...env, DATABASE_URL: 'postgresql://a,b/db?target_session_attrs=standby' }), /DATABASE_URL: target_session_attrs=standby/);
});
