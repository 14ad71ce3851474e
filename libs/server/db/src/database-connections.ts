import { Client, ClientConfig, Pool, PoolConfig } from 'pg';
import { DatabaseTarget, needsSessionSelection, parseDatabaseUrl, TargetSessionAttrs } from '@chatbox/server-config';

/**
 * Connections for a DATABASE_URL that names several hosts and/or `target_session_attrs`, as
 * libpq does it and node-postgres 8.x does not (it reads one host and ignores the attribute):
 * hosts are tried in order and only a session of the wanted kind is kept. After a failover the
 * connections to the old primary break, the next connection looks again, finds the promoted
 * server, and api and worker go on without a restart.
 *
 * A single-host URL without the attribute gets a plain pg Pool, exactly as before.
 */
export function createDatabasePool(databaseUrl: string, options: Omit<PoolConfig, 'connectionString' | 'Client'> = {}): Pool {
  const target = parseDatabaseUrl(databaseUrl);
  if (!needsSessionSelection(target)) return new Pool({ ...options, connectionString: databaseUrl });
  // the connect timeout goes to the client only: the pool's own would cut a client still looking for its host
  return new Pool({ ...options, connectionString: target.hostUrls[0], Client: locatingClientClass(target) });
}

/** One connection (migrations, tools) of the kind the URL asks for. The caller ends it. */
export async function connectDatabase(databaseUrl: string): Promise<Client> {
  const target = parseDatabaseUrl(databaseUrl);
  const client = needsSessionSelection(target)
    ? new (locatingClientClass(target))({ connectionString: target.hostUrls[0] })
    : new Client({ connectionString: databaseUrl });
  await client.connect();
  return client;
}

/** No listed host gave a session of the wanted kind (all down, or no primary yet during a failover). */
export class NoAcceptableServerError extends Error {
  constructor(attrs: TargetSessionAttrs, failures: string[]) {
    super(`no acceptable PostgreSQL server (target_session_attrs=${attrs}) among ${failures.join(', ')}`);
    this.name = 'NoAcceptableServerError';
  }
}

/** Whether a connected session is of the wanted kind, by libpq's definitions. */
export async function isAcceptableSession(client: Client, attrs: TargetSessionAttrs): Promise<boolean> {
  if (attrs === 'any') return true;
  const { rows } = await client.query<{ recovery: boolean; read_only: string }>(
    `SELECT pg_is_in_recovery() AS recovery, current_setting('transaction_read_only') AS read_only`,
  );
  // primary: not a hot standby; read-write: also not read-only by default (a standby always is)
  return !rows[0].recovery && (attrs === 'primary' || rows[0].read_only === 'off');
}

/**
 * Remembers which host gave an acceptable session last; connections go there. When one fails
 * (cannot connect, wrong kind, or breaks later) the host is forgotten, and the next connection
 * first probes the hosts in order with short-lived sessions (callers at the same moment share
 * one probe). A connection opened on a forgotten host fails once instead of trying the others:
 * a pg Client cannot connect twice, and requests on it are retried like any database error.
 */
class SessionLocator {
  private current?: number;
  private search?: Promise<number>;

  constructor(private readonly target: DatabaseTarget) {}

  host(): Promise<number> {
    if (this.current !== undefined) return Promise.resolve(this.current);
    this.search ??= this.find().finally(() => (this.search = undefined));
    return this.search;
  }

  forget(index: number | undefined): void {
    if (index !== undefined && this.current === index) this.current = undefined;
  }

  private async find(): Promise<number> {
    const { hosts, hostUrls, targetSessionAttrs: attrs, connectTimeoutMs } = this.target;
    const failures: string[] = [];
    for (let i = 0; i < hosts.length; i++) {
      const label = `${hosts[i].host}:${hosts[i].port}`;
      const probe = new Client({ connectionString: hostUrls[i], connectionTimeoutMillis: connectTimeoutMs });
      probe.on('error', () => undefined); // a failure after connecting surfaces in the awaited calls
      try {
        await probe.connect();
        if (await isAcceptableSession(probe, attrs)) {
          this.current = i;
          return i;
        }
        failures.push(`${label} (not ${attrs})`);
      } catch (err) {
        failures.push(`${label} (${(err as Error).message})`);
      } finally {
        void probe.end().catch(() => undefined);
      }
    }
    throw new NoAcceptableServerError(attrs, failures);
  }
}

/** The pg Client class for the pool: connects to the located host, keeps only an acceptable session. */
function locatingClientClass(target: DatabaseTarget): typeof Client {
  const locator = new SessionLocator(target);
  const { hosts, targetSessionAttrs: attrs, connectTimeoutMs } = target;
  class LocatingClient extends Client {
    private hostIndex?: number;

    constructor(config: ClientConfig) {
      super({ ...config, connectionTimeoutMillis: connectTimeoutMs });
      // a broken session may mean a failover: look again for the next connection
      this.on('error', () => locator.forget(this.hostIndex));
    }

    override connect(): Promise<Client>;
    override connect(callback: (err: Error | null, client?: Client) => void): void;
    override connect(callback?: (err: Error | null, client?: Client) => void): Promise<Client> | void {
      const connected = this.connectLocated();
      if (!callback) return connected;
      connected.then(
        (client) => callback(null, client),
        (err: Error) => callback(err),
      );
    }

    private async connectLocated(): Promise<Client> {
      this.hostIndex = await locator.host();
      const { host, port } = hosts[this.hostIndex];
      // pg reads host and port when it opens the socket (Client._connect)
      Object.assign(this, { host, port });
      Object.assign((this as unknown as { connectionParameters: object }).connectionParameters, { host, port });
      let failure: Error;
      try {
        await super.connect();
        if (await isAcceptableSession(this, attrs)) return this;
        failure = new NoAcceptableServerError(attrs, [`${host}:${port} (not ${attrs} any more)`]);
      } catch (err) {
        failure = err as Error;
      }
      locator.forget(this.hostIndex);
      void this.end().catch(() => undefined); // not awaited: after a failed connect pg may never say "ended"
      throw failure;
    }
  }
  return LocatingClient;
}
