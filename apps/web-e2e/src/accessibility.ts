import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** axe-core's browser build, read once from node_modules (the devDependency, pinned). */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

type AxeViolation = { id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> };

/**
 * Runs axe-core on the page as it is now and fails on any serious or critical violation, naming
 * each rule and the elements it found. `what` says which screen it was (login, chat, a dialog).
 */
export async function assertNoSeriousA11yViolations(page: Page, what: string): Promise<void> {
  // After a client-side navigation Next streams the new <title> in a moment after the page: axe
  // checks the page as a person meets it, and a page that never gets a title still fails below.
  for (const until = Date.now() + 5_000; (await page.title()) === '' && Date.now() < until; ) await new Promise((r) => setTimeout(r, 50));
  // evaluated through the DevTools protocol: the page's CSP (scripts need its nonce) does not apply
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    // runs in the page (the test compiles without the DOM library, hence globalThis)
    const { axe, document } = globalThis as unknown as { axe: { run: (ctx: unknown, opts: object) => Promise<{ violations: AxeViolation[] }> }; document: unknown };
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target) }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious, [], `${what}: axe-core found serious or critical violations:\n${JSON.stringify(serious, null, 2)}`);
}
