import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { FILES_NICE, freePort, launchWeb, ManagedProcess, stopProcess, waitForHttp } from '@chatbox/tools';
import type { TAttachment, TConversation, TMessage } from '@chatbox/contracts';
import { ApiClient } from '@chatbox/server-testing';
import { ApiProcess, Cluster } from './support/cluster';

type Someone = { id: string; token: string };

const upload = async (baseUrl: string, who: Someone, bytes: Buffer, name: string): Promise<{ status: number; body: TAttachment }> => {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  const res = await fetch(`${baseUrl}/api/uploads`, { method: 'POST', body: form, headers: { authorization: `Bearer ${who.token}` } });
  return { status: res.status, body: (await res.json()) as TAttachment };
};

const download = async (baseUrl: string, who: Someone, url: string): Promise<{ status: number; bytes: Buffer }> => {
  const res = await fetch(`${baseUrl}${url}`, { headers: { authorization: `Bearer ${who.token}` } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
};

/** The nice value of every thread of a process (Linux: field 19 of /proc/<pid>/task/<tid>/stat). */
const threadNiceValues = (pid: number): number[] =>
  readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces: count from the ")" that closes it
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });

/**
 * Uploads and downloads in a process of their own (apps/files), as `npm start` and the Caddyfile
 * run them: real api, worker, files and web processes, one database.
 */
describe('the files process: transfers beside the api, never in its way', { timeout: 180_000 }, () => {
  const cluster = new Cluster();
  let api: ApiProcess;
  let files: ApiProcess;
  let alice: Someone;
  let bob: Someone;
  let carol: Someone;
  let group: TConversation;

  const someone = async (client: ApiClient): Promise<Someone> => {
    const r = await client.registerUser();
    return { id: r.user.id, token: r.accessToken };
  };

  before(async () => {
    await cluster.prepare();
    [api, files] = await Promise.all([cluster.startApi('api-files-spec'), cluster.startFiles('files-spec')]);
    cluster.startWorker('worker-files-spec');
    [alice, bob, carol] = [await someone(api.client), await someone(api.client), await someone(api.client)];
    const created = await api.client.post('/groups', { name: 'files', memberIds: [bob.id] }, alice.token);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    group = created.body as TConversation;
  });
  after(() => cluster.stopAll());

  test('it serves the transfer routes and nothing else: no other REST route, no socket', async () => {
    assert.equal((await fetch(`${files.baseUrl}/api/health`)).status, 200);
    assert.equal((await files.client.get('/me', alice.token)).status, 404);
    assert.equal((await files.client.get(`/conversations/${group.id}/messages`, alice.token)).status, 404);
    assert.equal((await fetch(`${files.baseUrl}/socket.io/?EIO=4&transport=polling`)).status, 404);
    // and a transfer route still wants a login
    assert.equal((await fetch(`${files.baseUrl}/api/uploads`, { method: 'POST' })).status, 401);
  });

  test('a file uploaded to it is sent through the api and read from it by members only', async () => {
    const bytes = randomBytes(300_000);
    const up = await upload(files.baseUrl, alice, bytes, 'notes.bin');
    assert.equal(up.status, 201, JSON.stringify(up.body));
    const sent = await api.client.post(`/conversations/${group.id}/messages`, { clientMsgId: 'f-1', body: 'the notes', attachmentIds: [up.body.id] }, alice.token);
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const [attachment] = (sent.body as TMessage).attachments;
    assert.equal(attachment?.id, up.body.id);

    const got = await download(files.baseUrl, bob, attachment!.url);
    assert.equal(got.status, 200);
    assert.ok(got.bytes.equals(bytes), 'bob reads the very bytes alice uploaded');
    assert.equal((await download(files.baseUrl, carol, attachment!.url)).status, 404, 'not a member: no such file');
    // the api serves the same routes from the same store (a deployment without a files process)
    assert.ok((await download(api.baseUrl, bob, attachment!.url)).bytes.equals(bytes));
  });

  test('every one of its threads runs at the lower CPU priority, not only the main one', { skip: !existsSync('/proc/self/task') && 'no /proc here' }, () => {
    const values = threadNiceValues(files.proc.child.pid!);
    assert.ok(values.length > 4, `threads: ${values.length}`);
    assert.deepEqual(new Set(values), new Set([FILES_NICE]));
    assert.deepEqual(new Set(threadNiceValues(api.proc.child.pid!)), new Set([0]), 'the api keeps the normal priority');
  });

  describe('behind the web server', () => {
    let web: ManagedProcess;
    let webUrl: string;

    before(async () => {
      const port = await freePort();
      webUrl = `http://127.0.0.1:${port}`;
      const env: NodeJS.ProcessEnv = { ...process.env, WEB_PORT: String(port), WEB_HOST: '127.0.0.1', API_ORIGIN: api.baseUrl, FILES_ORIGIN: files.baseUrl };
      delete env.NODE_TEST_CONTEXT;
      web = launchWeb({ env, quiet: process.env.E2E_VERBOSE !== '1' });
      await waitForHttp(`${webUrl}/login`, web);
    });
    after(() => stopProcess(web));

    test('the transfer routes go to the files process: files move on while the api is down', async () => {
      const first = await upload(webUrl, alice, randomBytes(1000), 'before.bin');
      assert.equal(first.status, 201);
      const sent = await api.client.post(`/conversations/${group.id}/messages`, { clientMsgId: 'f-2', body: 'x', attachmentIds: [first.body.id] }, alice.token);
      assert.equal(sent.status, 201);

      await stopProcess(api.proc, 'SIGTERM', 10_000);
      assert.equal((await fetch(`${webUrl}/api/me`, { headers: { authorization: `Bearer ${bob.token}` } })).status, 503, 'the api is down');
      const bytes = randomBytes(50_000);
      const during = await upload(webUrl, alice, bytes, 'during.bin');
      assert.equal(during.status, 201, 'an upload while the api is down');
      assert.equal((await download(webUrl, alice, during.body.url)).bytes.equals(bytes), true, 'the uploader reads it back');
      assert.equal((await download(webUrl, bob, first.body.url)).status, 200, 'a member downloads an attachment while the api is down');
    });
  });
});
