import 'reflect-metadata';
import { startHttpProcess } from '@chatbox/server-http';
import { ApiModule } from './app.module';

startHttpProcess('api', ApiModule).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
