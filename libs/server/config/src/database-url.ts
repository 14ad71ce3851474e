/**
 * What a DATABASE_URL names, in libpq's terms: one or several hosts tried in order, and which
 * session is acceptable (`target_session_attrs`). node-postgres (8.x) reads only single-host
 * URLs, so a multi-host URL is split here into one single-host URL per host, each keeping the
 * user, password, database and every other parameter (sslmode, application_name...).
 *
 * Accepted, as libpq accepts them:
 * - `postgresql://user:pw@host1:5432,host2:5433/db?target_session_attrs=read-write`
 * - `postgresql://user:pw@/db?host=host1,host2&port=5432,5433&target_session_attrs=read-write`
 *   (`port` one for all hosts, or one per host; `postgresql:///db?host=...&user=...` too)
 */
export type TargetSessionAttrs = (typeof TARGET_SESSION_ATTRS)[number];

/**
 * ChatBox writes on every connection, so only the attributes that pick a writable server (or
 * any server) are accepted; read-only, standby and prefer-standby would pick a replica.
 */
export const TARGET_SESSION_ATTRS = ['any', 'read-write', 'primary'] as const;

export type DatabaseHost = { host: string; port: number };

export type DatabaseTarget = {
  hosts: DatabaseHost[];
  targetSessionAttrs: TargetSessionAttrs;
  /** One node-postgres connection string per host, in the order given. */
  hostUrls: string[];
  /** libpq's `connect_timeout` (seconds in the URL): how long one host may take to connect. */
  connectTimeoutMs?: number;
};

const DEFAULT_PORT = 5432;
const URL_SHAPE = /^(postgres(?:ql)?):\/\/(?:([^@/?#]*)@)?([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/;

export function parseDatabaseUrl(url: string): DatabaseTarget {
  const m = URL_SHAPE.exec(url);
  if (!m) throw new Error('must be a postgresql:// URL');
  const [, scheme, userinfo, authority, pathname = '', query = ''] = m;
  const params = new URLSearchParams(query);

  const attrs = params.get('target_session_attrs') ?? 'any';
  if (!(TARGET_SESSION_ATTRS as readonly string[]).includes(attrs)) {
    throw new Error(`target_session_attrs=${attrs} is not supported: ChatBox writes, use one of ${TARGET_SESSION_ATTRS.join(', ')}`);
  }

  // no host at all: node-postgres's default, as before
  const hosts = params.has('host') ? hostsFromParams(params) : hostsFromAuthority(authority, params.get('port'));
  if (hosts.length === 0) hosts.push({ host: 'localhost', port: params.has('port') ? toPort(params.get('port')!) : DEFAULT_PORT });

  const rest = new URLSearchParams(params);
  for (const name of ['host', 'port', 'target_session_attrs', 'connect_timeout']) rest.delete(name);
  const tail = `${pathname}${rest.size ? `?${rest.toString()}` : ''}`;
  const user = userinfo === undefined || userinfo === '' ? '' : `${userinfo}@`;
  const hostUrls = hosts.map((h) => `${scheme}://${user}${formatHost(h.host)}:${h.port}${tail}`);
  for (const u of hostUrls) {
    try {
      new URL(u);
    } catch {
      throw new Error('must be a postgresql:// URL');
    }
  }
  const timeout = Number(params.get('connect_timeout') ?? 0);
  return { hosts, targetSessionAttrs: attrs as TargetSessionAttrs, hostUrls, connectTimeoutMs: timeout > 0 ? timeout * 1000 : undefined };
}

/** `h1:p1,h2,[::1]:p3` from the URL's authority part (`?port=` for hosts without one). */
function hostsFromAuthority(authority: string, portParam: string | null): DatabaseHost[] {
  if (authority === '') return [];
  const defaultPort = portParam ? toPort(portParam) : DEFAULT_PORT;
  return authority.split(',').map((entry) => {
    const m = /^(\[[^\]]+\]|[^:]*)(?::(\d*))?$/.exec(entry);
    if (!m || m[1] === '') throw new Error(`has an invalid host "${entry}"`);
    return { host: decodeURIComponent(m[1].replace(/^\[(.*)\]$/, '$1')), port: m[2] ? toPort(m[2]) : defaultPort };
  });
}

/** `?host=h1,h2&port=p1,p2` (or one port for all). */
function hostsFromParams(params: URLSearchParams): DatabaseHost[] {
  const names = params.get('host')!.split(',');
  const ports = (params.get('port') ?? '').split(',').filter((p) => p !== '');
  if (ports.length > 1 && ports.length !== names.length) throw new Error(`names ${names.length} hosts but ${ports.length} ports`);
  return names.map((host, i) => {
    if (host === '') throw new Error('has an empty host');
    return { host, port: ports.length === 0 ? DEFAULT_PORT : toPort(ports[ports.length === 1 ? 0 : i]) };
  });
}

function toPort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`has an invalid port "${text}"`);
  return port;
}

const formatHost = (host: string): string => (host.includes(':') ? `[${host}]` : encodeURIComponent(host));

/** True when the URL names more than one host or asks for a kind of session: such URLs need the failover pool. */
export function needsSessionSelection(target: DatabaseTarget): boolean {
  return target.hosts.length > 1 || target.targetSessionAttrs !== 'any';
}
