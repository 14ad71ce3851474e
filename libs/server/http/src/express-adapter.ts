import http from 'node:http';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';

/**
 * Express gives each request its app's prototypes: app.handle calls Object.setPrototypeOf on
 * every req and res. V8 pays for that far past the call: measured on the api, each young-generation
 * GC then kept ~2.5 MB of finished requests alive (promoted, later freed by full GCs) and paused
 * ~3 ms; with req and res born with those prototypes it keeps ~20 KB and pauses ~0.4 ms, and a
 * bare Express app serves ~30 % more requests. Express skips nothing, but setting the prototype an
 * object already has changes nothing in V8, so the http server below constructs req and res with
 * Express's prototypes in place.
 */
export class PrototypedExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    const server = options?.httpsOptions || options?.forceCloseConnections ? undefined : createExpressServer(this.getInstance<Express>());
    if (server) this.httpServer = server;
    else super.initHttpServer(options);
  }
}

/** An http server for `app` whose requests and responses start with `app.request`/`app.response` as prototypes; undefined where Node's classes do not allow it. */
export function createExpressServer(app: Express): http.Server | undefined {
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
