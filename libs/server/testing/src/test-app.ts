import type { INestApplication, Type } from '@nestjs/common';
import { PrismaService } from '@chatbox/server-db';
import { createApiApp } from '@chatbox/server-http';
import { ApiClient } from './api-client';

export type TestApp = {
  app: INestApplication;
  baseUrl: string;
  prisma: PrismaService;
  client: ApiClient;
  close: () => Promise<void>;
};

/**
 * The api module, wired exactly as apps/api wires it, listening on a free loopback port, on the
 * test database and Redis the test runner prepared (environment variables).
 */
export async function createTestApp(rootModule: Type<unknown>): Promise<TestApp> {
  const app = await createApiApp(rootModule, ['error', 'warn']);
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    baseUrl,
    prisma: app.get(PrismaService),
    client: new ApiClient(baseUrl),
    close: () => app.close(),
  };
}
