import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, Browser } from 'playwright-core';
import { ensureChromium, freePort, launchApi, launchFiles, launchWeb, launchWorker, ManagedProcess, REPO_ROOT, stopProcess, waitForHttp } from '@chatbox/tools';

export const SCREENSHOTS = path.join(REPO_ROOT, 'docs/screenshots');

const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export type Platform = { webUrl: string; browser: Browser; stop: () => Promise<void> };

/**
 * api + worker + the built web app on free ports, in the test environment the runner passes in
 * (database, Redis prefix, secret) plus `extraEnv` (e.g. production rate limits), and Debian's
 * Chromium driven by playwright-core. With `files`, a files process too, at its lower priority,
 * and the web server sends it the transfer routes, as under `npm start` (without, the api serves
 * them: tests that move no file need not start it).
 */
export async function startPlatform(extraEnv: NodeJS.ProcessEnv = {}, { files = false } = {}): Promise<Platform> {
  const [apiPort, webPort, filesPort] = [await freePort(), await freePort(), await freePort()];
  const webUrl = `http://127.0.0.1:${webPort}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    API_PORT: String(apiPort),
    API_HOST: '127.0.0.1',
    API_ORIGIN: `http://127.0.0.1:${apiPort}`,
    WEB_PORT: String(webPort),
    WEB_HOST: '127.0.0.1',
    WEB_ORIGIN: webUrl,
    ...(files && { FILES_PORT: String(filesPort) }),
    ...extraEnv,
  };
  const procs: ManagedProcess[] = [];
  const stop = async () => {
    await Promise.all(procs.map((p) => stopProcess(p)));
  };
  try {
    const api = launchApi({ env });
    const filesProcess = files ? launchFiles({ env }) : undefined;
    procs.push(api, launchWorker({ env }), ...(filesProcess ? [filesProcess] : []));
    await Promise.all([waitForHttp(`http://127.0.0.1:${apiPort}/api/health`, api), filesProcess && waitForHttp(`http://127.0.0.1:${filesPort}/api/health`, filesProcess)]);
    const web = launchWeb({ env });
    procs.push(web);
    await waitForHttp(`${webUrl}/login`, web);
    const browser = await chromium.launch({ executablePath: ensureChromium(), headless: true, args: CHROMIUM_FLAGS });
    mkdirSync(SCREENSHOTS, { recursive: true });
    return {
      webUrl,
      browser,
      stop: async () => {
        await browser.close().catch(() => undefined);
        await stop();
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
