import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { PrototypedExpressAdapter } from './express-adapter';

test("the api's http server hands Express requests that already have its prototypes, and Express works on them", async (t) => {
  const adapter = new PrototypedExpressAdapter();
  const app = adapter.getInstance<Express>();
  app.get('/echo', (req, res) => res.status(201).json({ path: req.path, header: req.get('x-probe') }));
  adapter.initHttpServer({});
  const server = adapter.getHttpServer();
  const bornWith: boolean[] = [];
  // runs before Express's handler, i.e. before Express sets the prototypes itself
  server.prependListener('request', (req, res) => bornWith.push(Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const { port } = server.address() as AddressInfo;
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/echo`, { headers: { 'x-probe': `p${i}` } });
    assert.equal(res.status, 201);
    assert.deepEqual(await res.json(), { path: '/echo', header: `p${i}` });
  }
  assert.deepEqual(bornWith, [true, true]);
});
