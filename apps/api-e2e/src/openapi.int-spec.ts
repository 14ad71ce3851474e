import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, TestApp } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';

type Layer = { route?: { path: string; methods: Record<string, boolean> } };
type OpenApi = { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown>; operationId: string }>> };

/** Issue 15: the OpenAPI 3.1 document, generated from the zod contracts, has every route Nest registered, and only those. */
describe('OpenAPI document at /api/docs', () => {
  let t: TestApp;
  let doc: OpenApi;
  before(async () => {
    t = await createTestApp(ApiModule);
    const res = await fetch(`${t.baseUrl}/api/docs/openapi.json`);
    assert.equal(res.status, 200);
    doc = (await res.json()) as OpenApi;
  });
  after(() => t.close());

  /**
   * "METHOD /api/path/:param" of every route the api answers, as Express has them: not the docs'
   * own pages, nor the catch-all (`{/*splat}`) that answers 404 to every other path.
   */
  const registeredRoutes = (): string[] => {
    const express = t.app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } };
    const routes = express.router.stack
      .flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route?.path}`) : []))
      .filter((route) => !route.includes(' /api/docs') && !route.includes('*'));
    return [...new Set(routes)].sort();
  };
  const documentedRoutes = (): string[] =>
    Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`))
      .sort();

  test('every route the api registered is in the document, and nothing else', () => {
    const registered = registeredRoutes();
    assert.ok(registered.length >= 25, `routes found: ${registered.length}`);
    assert.deepEqual(documentedRoutes(), registered);
  });

  test('a valid OpenAPI 3.1 document: unique operation ids, a response per operation, every $ref resolves', () => {
    assert.equal(doc.openapi, '3.1.0');
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
    for (const ops of Object.values(doc.paths)) for (const op of Object.values(ops)) assert.ok(Object.keys(op.responses).length >= 1);
    const text = JSON.stringify(doc);
    for (const [, ref] of text.matchAll(/"\$ref":"([^"]+)"/g)) {
      const target = ref.replace(/^#\//, '').split('/').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
      assert.ok(target, `${ref} resolves`);
    }
    const send = doc.paths['/api/conversations/{id}/messages'].post as unknown as { requestBody: { content: Record<string, { schema: { required: string[] } }> } };
    assert.deepEqual(send.requestBody.content['application/json'].schema.required.sort(), ['body', 'clientMsgId'], 'schemas come from the zod contracts');
  });

  test('the interactive viewer is served from the api itself (offline), without inline scripts', async () => {
    const page = await fetch(`${t.baseUrl}/api/docs`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.doesNotMatch(html, /<script>[^<]/, 'no inline script (CSP)');
    for (const src of [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1])) {
      const res = await fetch(`${t.baseUrl}${src}`);
      assert.equal(res.status, 200, src);
      assert.ok((await res.arrayBuffer()).byteLength > 100, src);
    }
    assert.equal((await fetch(`${t.baseUrl}/api/docs/package.json`)).status, 404, 'only the viewer files');
  });
});
