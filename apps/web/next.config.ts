import path from 'node:path';
import type { NextConfig } from 'next';
import { PHASE_DEVELOPMENT_SERVER } from 'next/constants';

const apiOrigin = process.env.API_ORIGIN ?? `http://127.0.0.1:${process.env.API_PORT ?? 3001}`;

const base: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  outputFileTracingRoot: path.join(__dirname, '../..'),
  experimental: { externalDir: true },
};

/**
 * The browser talks to one origin: /api and /socket.io are forwarded to the api. These rewrites
 * exist for `next dev` only. A production build runs behind tools/src/platform/web-server.ts,
 * which forwards to the api chosen at start and sets X-Forwarded-For to the real peer; rewrites
 * in the build would be a second route to the api that matches paths case-insensitively (`/API`)
 * and passes the client's own X-Forwarded-For on (issue 20, finding 1).
 */
/**
 * `next dev` forwards a request body through a copy limited to middlewareClientMaxBodySize (10 MB
 * by default), silently cut at the limit, and gives up on the api after 30 s: an upload of up to
 * UPLOAD_MAX_BYTES (25 MB) would arrive truncated. The copy is allowed a little more than the
 * api's limit, so what is too large gets the api's own 413, and slow uploads get 10 minutes.
 */
const uploadMaxBytes = Number(process.env.UPLOAD_MAX_BYTES) || 25 * 1024 * 1024;
const devProxy = { middlewareClientMaxBodySize: uploadMaxBytes + 1024 * 1024, proxyTimeout: 10 * 60 * 1000 };

export default function config(phase: string): NextConfig {
  if (phase !== PHASE_DEVELOPMENT_SERVER) return base;
  return {
    ...base,
    experimental: { ...base.experimental, ...devProxy },
    async rewrites() {
      return [
        { source: '/api/:path*', destination: `${apiOrigin}/api/:path*` },
        { source: '/socket.io/:path*', destination: `${apiOrigin}/socket.io/:path*` },
        { source: '/socket.io', destination: `${apiOrigin}/socket.io/` },
      ];
    },
  };
}
