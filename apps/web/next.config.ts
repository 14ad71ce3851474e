import path from 'node:path';
import type { NextConfig } from 'next';

const apiOrigin = process.env.API_ORIGIN ?? `http://127.0.0.1:${process.env.API_PORT ?? 3001}`;

/**
 * The browser talks to one origin: /api and /socket.io are forwarded to the api. These rewrites
 * serve `next dev` only: `next build` fixes their destination in the build output, so the built
 * app runs behind tools/src/platform/web-server.ts, which forwards to the api chosen at start.
 */
const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  outputFileTracingRoot: path.join(__dirname, '../..'),
  experimental: { externalDir: true },
  async rewrites() {
    return [
      { source: '/api/:path*', destination: `${apiOrigin}/api/:path*` },
      { source: '/socket.io/:path*', destination: `${apiOrigin}/socket.io/:path*` },
      { source: '/socket.io', destination: `${apiOrigin}/socket.io/` },
    ];
  },
};

export default config;
