import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { REQUEST_ID_HEADER } from '@chatbox/contracts';
import { APP_CONFIG, AppConfig, LogLevel } from '@chatbox/server-config';

/** Nest's levels as pino names them. */
const PINO_LEVEL: Record<LogLevel, string> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/**
 * JSON logs (nestjs-pino): one JSON object per line on stdout, for api and worker. Every line
 * written while a request is answered carries its request id (`reqId`, the X-Request-Id the
 * request-id middleware chose), and each answer is one line at `verbose` level. What a request
 * logs is its id, method, path (no query string) and status: never headers (tokens, cookies)
 * or bodies (messages, passwords).
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: PINO_LEVEL[config.logLevels[config.logLevels.length - 1] ?? 'log'],
          genReqId: (req: IncomingMessage, res: ServerResponse) => String(res.getHeader(REQUEST_ID_HEADER) ?? randomUUID()),
          // lines logged inside a request get `reqId` only, not the whole request again
          quietReqLogger: true,
          customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) => (err || res.statusCode >= 500 ? 'error' : 'trace'),
          serializers: {
            req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
        },
      }),
    }),
  ],
})
export class JsonLogsModule {}
