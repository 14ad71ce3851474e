import { freePort, launchApi, launchWorker, ManagedProcess, stopProcess, waitForHttp } from '@chatbox/tools';
import { ApiClient } from '@chatbox/server-testing';

export type ApiProcess = { proc: ManagedProcess; baseUrl: string; client: ApiClient };

/**
 * Real api and worker processes on the test runner's database and Redis prefix, on free
 * loopback ports. Every process started here is killed by stopAll().
 */
export class Cluster {
  private readonly procs: ManagedProcess[] = [];
  private readonly quiet = process.env.E2E_VERBOSE !== '1';

  private env(extra: Record<string, string>): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, API_HOST: '127.0.0.1', ...extra };
    delete env.NODE_TEST_CONTEXT; // the children are servers, not test files
    return env;
  }

  async startApi(name: string, extra: Record<string, string> = {}): Promise<ApiProcess> {
    const port = await freePort();
    const proc = launchApi({ env: this.env({ API_PORT: String(port), ...extra }), name, quiet: this.quiet });
    this.procs.push(proc);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${baseUrl}/api/health`, proc);
    return { proc, baseUrl, client: new ApiClient(baseUrl) };
  }

  startWorker(name: string): ManagedProcess {
    const proc = launchWorker({ env: this.env({}), name, quiet: this.quiet });
    this.procs.push(proc);
    return proc;
  }

  /** kill -9: no shutdown hooks, no cleanup. */
  async kill(proc: ManagedProcess): Promise<void> {
    await stopProcess(proc, 'SIGKILL');
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.procs.map((p) => stopProcess(p, 'SIGTERM', 5_000)));
  }
}
