import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { HTTP_KEEP_ALIVE_DEFAULT_SECONDS } from '@chatbox/server-config';
import { ApiClient, ApiResponse } from '@chatbox/server-testing';

/** Below the api's keep-alive timeout, as a browser keeps a connection the server keeps. */
const IDLE_CLOSE_MS = (HTTP_KEEP_ALIVE_DEFAULT_SECONDS - 5) * 1000;

/** Where a request's time went: waiting for one of the pool's connections, then the server's answer. */
export type RequestTimings = { queuedMs: number[]; answerMs: number[] };

/**
 * The wire contract's client over node:http with kept-alive connections, as a browser keeps
 * its few connections to an origin. Node's fetch (undici) opened a new connection for almost
 * every request of an open-loop burst (437 connections for 1,000 requests at 250/s against a
 * 20 ms server, measured), so phase E's driver and api paid a TCP connect and an HTTP parser
 * set-up per edit, reaction and delete; on 2 shared cores that was the driver's largest cost.
 */
export class KeepAliveApiClient extends ApiClient {
  private readonly agent: http.Agent;
  private timings: RequestTimings = { queuedMs: [], answerMs: [] };

  constructor(baseUrl: string, maxSockets = 64) {
    super(baseUrl);
    // an idle connection is dropped before the server's keep-alive timeout (Node's 5 s) closes it:
    // reusing one the server is closing fails the request with "socket hang up" / ECONNRESET
    this.agent = new http.Agent({ keepAlive: true, maxSockets, timeout: IDLE_CLOSE_MS });
  }

  /** The timings of the requests since the last call (a request in phase E: queued in the driver, or the server slow?). */
  takeTimings(): RequestTimings {
    const taken = this.timings;
    this.timings = { queuedMs: [], answerMs: [] };
    return taken;
  }

  override request<T = any>(method: string, path: string, opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const created = performance.now();
    let connected = created;
    return new Promise((resolve, reject) => {
      const req = http.request(`${this.baseUrl}/api${path}`, { method, headers, agent: this.agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('error', reject);
        res.on('end', () => {
          this.timings.queuedMs.push(connected - created);
          this.timings.answerMs.push(performance.now() - connected);
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: the raw text is the body
          }
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
          resolve({ status: res.statusCode ?? 0, body: parsed as T, headers: responseHeaders });
        });
      });
      req.once('socket', () => (connected = performance.now()));
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
