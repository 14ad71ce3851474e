import { Logger } from '@nestjs/common';

/**
 * On the first SIGTERM or SIGINT, runs `shutdown` (stop accepting, drain, close connections) and
 * exits; a second signal during it ends the process at once (the default action).
 */
export function closeOnSignals(name: string, shutdown: () => Promise<void>): void {
  const logger = new Logger(name);
  const onSignal = (signal: NodeJS.Signals) => {
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
    logger.log(`${signal}: shutting down`);
    shutdown().then(
      () => {
        logger.log('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error(`shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
