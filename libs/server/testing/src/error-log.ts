import { ConsoleLogger, INestApplication } from '@nestjs/common';

/**
 * Records every ERROR line the app logs from now on (and still prints it), for tests that promise
 * an input never reaches the log as a fault. Nest's loggers look the app's logger up at each call,
 * so this sees the ones created before it too.
 */
export function recordErrorLogs(app: INestApplication): string[] {
  const lines: string[] = [];
  class RecordingLogger extends ConsoleLogger {
    override error(message: unknown, ...rest: unknown[]): void {
      lines.push(String(message));
      super.error(message, ...rest);
    }
  }
  app.useLogger(new RecordingLogger('', { logLevels: ['error', 'warn'] }));
  return lines;
}
