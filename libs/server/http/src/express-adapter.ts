import http from 'node:http';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';

/**
 * Express gives each request its app's prototypes: app.handle calls Object.setPrototypeOf on
 * every req and res, and V8 pays for that long after the call. In a bare Express app each
 * young-generation GC then kept ~2.9 MB of finished requests alive (promoted, freed only by full
 * GCs) and paused ~3 ms; with req and res born with those prototypes, 18 KB and 0.4 ms, and ~30 %
 * more requests served. In the api, ~0.7 MB per GC instead of 1.5-4.5 MB (bench/README.md).
 * Express still makes the call, but setting the prototype an object already has changes nothing,
 * so the http server below constructs req and res with Express's prototypes in place.
 */
export class PrototypedExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    const server = options?.httpsOptions || options?.forceCloseConnections ? undefined : createExpressServer(this.getInstance<Express>());
    if (server) this.httpServer = server;
    else super.initHttpServer(options);
  }
}

/** An http server for `app` whose requests and responses start with `app.request`/`app.response` as prototypes; undefined where Node's classes do not allow it. */
function createExpressServer(app: Express): http.Server | undefined {
  const Request = withPrototype(http.IncomingMessage, app.request);
  const Response = withPrototype(http.ServerResponse, app.response);
  if (!Request || !Response) return undefined;
  return http.createServer({ IncomingMessage: Request, ServerResponse: Response }, app);
}

/**
 * A constructor that runs Base's and yields objects with `prototype`. Base is called as a plain
 * function (Node's http classes are written that way): Reflect.construct with another new.target
 * gives the same objects, but V8 then builds them slowly enough to lose most of the gain. An ES
 * class cannot be called so; then there is no such constructor.
 */
function withPrototype<T extends abstract new (...args: never[]) => object>(Base: T, prototype: object): T | undefined {
  if (Function.prototype.toString.call(Base).startsWith('class')) return undefined;
  function Derived(this: object, ...args: unknown[]) {
    (Base as unknown as (...a: unknown[]) => void).apply(this, args);
  }
  Derived.prototype = prototype;
  return Derived as unknown as T;
}
