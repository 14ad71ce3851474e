import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, Browser } from 'playwright-core';
import { ensureChromium, freePort, launchApi, launchWeb, launchWorker, ManagedProcess, stopProcess, waitForHttp } from '@chatbox/tools';

const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Two api processes, a worker and the web app, in the runner's test environment: the terminal
 * client talks to `cliApi` (which the test restarts on the same port), the browser to the web
 * app in front of the other api, so people keep writing while the client's api is down.
 */
export type TerminalPlatform = {
  cliApiUrl: string;
  webUrl: string;
  browser: Browser;
  /** A folder for the terminal clients' XDG_CONFIG_HOME (their session files), removed at the end. */
  configRoot: string;
  stopCliApi: () => Promise<void>;
  startCliApi: () => Promise<void>;
  stop: () => Promise<void>;
};

export async function startTerminalPlatform(): Promise<TerminalPlatform> {
  const [cliApiPort, webApiPort, webPort] = [await freePort(), await freePort(), await freePort()];
  const webUrl = `http://127.0.0.1:${webPort}`;
  const cliApiUrl = `http://127.0.0.1:${cliApiPort}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    API_HOST: '127.0.0.1',
    API_PORT: String(webApiPort),
    API_ORIGIN: `http://127.0.0.1:${webApiPort}`,
    WEB_PORT: String(webPort),
    WEB_HOST: '127.0.0.1',
    WEB_ORIGIN: webUrl,
  };
  delete env.NODE_TEST_CONTEXT; // the children are servers, not test files
  const quiet = process.env.E2E_VERBOSE !== '1';
  const procs = new Set<ManagedProcess>();
  let cliApi: ManagedProcess | null = null;
  const startCliApi = async () => {
    cliApi = launchApi({ env: { ...env, API_PORT: String(cliApiPort), API_ORIGIN: cliApiUrl }, name: 'api-cli', quiet });
    procs.add(cliApi);
    await waitForHttp(`${cliApiUrl}/api/health`, cliApi);
  };
  const stopCliApi = async () => {
    if (!cliApi) return;
    await stopProcess(cliApi);
    procs.delete(cliApi);
    cliApi = null;
  };
  const configRoot = mkdtempSync(path.join(os.tmpdir(), 'chatbox-cli-e2e-'));
  const stopAll = async () => {
    await Promise.all([...procs].map((p) => stopProcess(p)));
    rmSync(configRoot, { recursive: true, force: true });
  };
  try {
    const webApi = launchApi({ env, name: 'api-web', quiet });
    procs.add(webApi);
    procs.add(launchWorker({ env, quiet }));
    await Promise.all([waitForHttp(`${env.API_ORIGIN}/api/health`, webApi), startCliApi()]);
    const web = launchWeb({ env, quiet });
    procs.add(web);
    await waitForHttp(`${webUrl}/login`, web);
    const browser = await chromium.launch({ executablePath: ensureChromium(), headless: true, args: CHROMIUM_FLAGS });
    return {
      cliApiUrl,
      webUrl,
      browser,
      configRoot,
      stopCliApi,
      startCliApi,
      stop: async () => {
        await browser.close().catch(() => undefined);
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
