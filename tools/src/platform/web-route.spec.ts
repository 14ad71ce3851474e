import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webRouteOf } from './web-route';

test('the canonical /api and /socket.io paths are forwarded', () => {
  for (const url of ['/api', '/api/', '/api?x=1', '/api/auth/login', '/socket.io', '/socket.io/?EIO=4&transport=websocket', '/api/../x']) {
    assert.equal(webRouteOf(url), 'api', url);
  }
});

test('the transfer routes are told apart, so a files process can serve them', () => {
  for (const url of ['/api/uploads', '/api/uploads?x=1', '/api/attachments/a1/file/photo.png', '/api/attachments/a1/thumbnail?v=2', '/api/me/export']) {
    assert.equal(webRouteOf(url), 'files', url);
  }
  for (const url of ['/api/me', '/api/uploadsx', '/api/attachments/a1', '/api/me/export/x', '/api/../api/uploads']) assert.equal(webRouteOf(url), 'api', url);
});

test('every other spelling of /api or /socket.io is refused, never handed to Next', () => {
  const spellings = [
    '/API/auth/login', '/Api', '/aPI/', '//api/x', '///socket.io/', '/%61pi/x', '/%2561pi', '/ap%49', '/api./x', '/api%2e', '/api%20/x',
    '/x/../api', '/./api', '/%2e/api', '/x/%2e%2e/API', '/api;x/y', '/%2fapi', '/\\api', '/SOCKET.IO/?EIO=4', '/socket.io./',
    '/%73ocket.io', '/socket%2eio', 'http://evil.example/api/auth/login', 'HTTP://h/API', '/\uff41pi', '/ap\u0131', '/\u017focket.io',
  ];
  for (const url of spellings) assert.equal(webRouteOf(url), 'refuse', url);
});

test('pages and assets go to Next, including names that merely start like the api', () => {
  for (const url of ['/', '/login', '/chat?x=1', '/_next/static/chunks/a.js', '/apis', '/api-docs', '/socket.iox', '/%zz', '/x/api']) {
    assert.equal(webRouteOf(url), 'web', url);
  }
});
