import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_API_URL, parseCliArgs } from './cli-args';

describe('parseCliArgs', () => {
  test('defaults to the local api, or CHATBOX_API', () => {
    assert.deepEqual(parseCliArgs([]), { kind: 'run', apiUrl: new URL(DEFAULT_API_URL).origin });
    assert.deepEqual(parseCliArgs([], { CHATBOX_API: 'https://chat.example.org' }), { kind: 'run', apiUrl: 'https://chat.example.org' });
  });

  test('--api URL and --api=URL, reduced to the origin', () => {
    assert.deepEqual(parseCliArgs(['--api', 'http://127.0.0.1:3001/']), { kind: 'run', apiUrl: 'http://127.0.0.1:3001' });
    assert.deepEqual(parseCliArgs(['--api=http://h:9/x']), { kind: 'run', apiUrl: 'http://h:9' });
  });

  test('help, and clear errors for what it cannot use', () => {
    assert.deepEqual(parseCliArgs(['--help']), { kind: 'help' });
    assert.equal(parseCliArgs(['--api']).kind, 'error');
    assert.match((parseCliArgs(['--api', 'ftp://x']) as { message: string }).message, /http\(s\) URL/);
    assert.match((parseCliArgs(['--verbose']) as { message: string }).message, /unknown argument: --verbose/);
  });
});
