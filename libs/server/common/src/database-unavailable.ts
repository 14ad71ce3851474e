/** Connection-level database failures: the request can be retried once PostgreSQL is back. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { name?: string; code?: string; message?: string; cause?: unknown } | undefined;
  if (!e) return false;
  if (e.name === 'PrismaClientInitializationError') return true;
  if (typeof e.code === 'string' && ['P1001', 'P1002', 'P1017', 'P2024', 'P2028', 'ECONNREFUSED', 'ECONNRESET', '57P01', '57P03'].includes(e.code)) return true;
  if (typeof e.message === 'string' && /ECONNREFUSED|Connection terminated|connection.*(closed|refused)|DatabaseNotReachable|terminating connection|Can't reach database server|database system is (shutting down|starting up)|Server has closed the connection|connection error and is not queryable|no acceptable PostgreSQL server|Query read timeout/i.test(e.message)) return true;
  return e.cause !== undefined && e.cause !== err && isDatabaseUnavailable(e.cause);
}
