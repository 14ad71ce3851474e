import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SessionFile, sessionFilePath } from './session-file';

describe('session file', () => {
  test('lives under XDG_CONFIG_HOME, else ~/.config', () => {
    assert.equal(sessionFilePath({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/a'), '/x/cfg/chatbox/session.json');
    assert.equal(sessionFilePath({}, '/home/a'), '/home/a/.config/chatbox/session.json');
    assert.equal(sessionFilePath({ XDG_CONFIG_HOME: 'relative' }, '/home/a'), '/home/a/.config/chatbox/session.json');
  });

  test('keeps one session per api, readable by the owner only', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'chatbox-cli-'));
    const file = new SessionFile(path.join(dir, 'chatbox', 'session.json'));
    assert.equal(await file.load('http://a'), null);
    await file.save('http://a', { token: 't1', userId: 'u1', username: 'ann' });
    await file.save('http://b', { token: 't2', userId: 'u2', username: 'bo' });
    assert.deepEqual(await file.load('http://a'), { token: 't1', userId: 'u1', username: 'ann' });
    assert.equal((await stat(file.file)).mode & 0o777, 0o600);
    assert.equal((await stat(path.dirname(file.file))).mode & 0o777, 0o700);
    await file.forget('http://a');
    assert.equal(await file.load('http://a'), null);
    assert.equal((await file.load('http://b'))?.token, 't2');
  });

  test('tightens a file that was readable by others, and survives garbage', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'chatbox-cli-'));
    const file = new SessionFile(path.join(dir, 'session.json'));
    await writeFile(file.file, 'not json', { mode: 0o644 });
    assert.equal(await file.load('http://a'), null);
    await file.save('http://a', { token: 't', userId: 'u', username: 'ann' });
    assert.equal((await stat(file.file)).mode & 0o777, 0o600);
  });
});
