import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from './metrics.service';

/**
 * Express middleware: each answer's latency by method, route pattern (`/api/conversations/:id/
 * messages`, never the ids: one series per route) and status. Paths no route matched count
 * together, so scanners cannot grow the series without bound.
 */
export function httpMetrics(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = req.route ? `${req.baseUrl}${String((req.route as { path: unknown }).path)}` : '(unmatched)';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
    });
    next();
  };
}
