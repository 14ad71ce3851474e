import http from 'node:http';
import { ApiClient, ApiResponse } from '@chatbox/server-testing';

/**
 * The wire contract's client over node:http with kept-alive connections, as a browser keeps
 * its few connections to an origin. Node's fetch (undici) opened a new connection for almost
 * every request of an open-loop burst (437 connections for 1,000 requests at 250/s against a
 * 20 ms server, measured), so phase E's driver and api paid a TCP connect and an HTTP parser
 * set-up per edit, reaction and delete; on 2 shared cores that was the driver's largest cost.
 */
export class KeepAliveApiClient extends ApiClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  override request<T = any>(method: string, path: string, opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    return new Promise((resolve, reject) => {
      const req = http.request(`${this.baseUrl}/api${path}`, { method, headers, agent: this.agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('error', reject);
        res.on('end', () => {
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
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
