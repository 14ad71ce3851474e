import { after, before } from 'node:test';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { connectSocket, ConnectOptions, createTestApp, RecordingSocket, TestApp } from '@chatbox/server-testing';
import { ApiModule } from '../../../api/src/app.module';
import { WorkerModule } from '../../../worker/src/worker.module';

/** One api and one worker in this process: real Socket.IO, Redis adapter, BullMQ, PostgreSQL. */
export type Stack = {
  t: TestApp;
  worker: INestApplicationContext;
  /** A socket closed with the stack. */
  connect: (token: string | undefined, opts?: ConnectOptions) => Promise<RecordingSocket>;
  close: () => Promise<void>;
};

export async function startStack(): Promise<Stack> {
  const t = await createTestApp(ApiModule);
  const worker = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn'] });
  await worker.init();
  const sockets: RecordingSocket[] = [];
  return {
    t,
    worker,
    connect: async (token, opts) => {
      const s = await connectSocket(t.baseUrl, token, opts);
      sockets.push(s);
      return s;
    },
    close: async () => {
      sockets.forEach((s) => s.close());
      await worker.close();
      await t.close();
    },
  };
}

/**
 * One stack for the enclosing describe: started before its tests, closed after them. Read its
 * parts through the handle while the tests run (they exist only from the `before` on).
 */
export function useStack(): Stack {
  let started: Stack | undefined;
  before(async () => {
    started = await startStack();
  });
  after(() => started?.close());
  const running = (): Stack => {
    if (!started) throw new Error('the stack starts before the tests; read it inside a test or hook');
    return started;
  };
  return {
    get t() {
      return running().t;
    },
    get worker() {
      return running().worker;
    },
    connect: (token, opts) => running().connect(token, opts),
    close: () => running().close(),
  };
}
