/** One host of a MySQL/MariaDB URL. */
export interface MysqlHost {
  readonly host: string;
  readonly port: number;
}

/** A `mysql://` URL, possibly naming several hosts (a failover list: `mysql://u:p@h1:3306,h2:3306/db`). */
export interface MysqlUrl {
  readonly hosts: readonly MysqlHost[];
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** The URL's query string (`?a=b`), passed to the driver as is; '' when none. */
  readonly search: string;
}

/** Hosts after this many are refused: a failover list is a handful of cluster nodes, not a scan. */
export const MAX_MYSQL_HOSTS = 16;

const SHAPE = /^(?:mysql|mariadb):\/\/(?:([^@/]*)@)?([^/?#]+)(\/[^?#]*)?(\?[^#]*)?$/;

/**
 * Parses `mysql://user:pass@host[:port][,host[:port]…]/database[?options]` (`mariadb://` too).
 * Returns a problem text instead of throwing; the caller names the setting.
 */
export function parseMysqlUrl(url: string): MysqlUrl | { readonly problem: string } {
  const m = SHAPE.exec(url);
  if (!m) return { problem: 'is not a valid mysql:// URL' };
  const [, userinfo = '', hostList = '', path = '', search = ''] = m;
  const parts = hostList.split(',');
  if (parts.length > MAX_MYSQL_HOSTS) return { problem: `names more than ${MAX_MYSQL_HOSTS} hosts` };
  const hosts: MysqlHost[] = [];
  for (const part of parts) {
    const hp = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(part.trim());
    if (!hp) return { problem: part.trim() === '' ? 'names no host' : `has a bad host '${part}'` };
    const port = hp[2] === undefined ? 3306 : Number(hp[2]);
    if (port < 1 || port > 65_535) return { problem: `has a bad port in '${part}'` };
    hosts.push({ host: (hp[1] as string).replace(/^\[|\]$/g, ''), port });
  }
  const database = decodeURIComponent(path.replace(/^\//, ''));
  if (database === '') return { problem: 'names no database (mysql://user@host:3306/NAME)' };
  const colon = userinfo.indexOf(':');
  const user = decodeURIComponent(colon < 0 ? userinfo : userinfo.slice(0, colon));
  const password = colon < 0 ? '' : decodeURIComponent(userinfo.slice(colon + 1));
  return { hosts, user, password, database, search };
}

/** The same URL with the password replaced by `***`. */
export function redactMysqlUrl(url: string): string {
  const m = SHAPE.exec(url);
  if (!m) return 'mysql://(unparsable)';
  const userinfo = m[1];
  const scheme = url.slice(0, url.indexOf('://') + 3);
  const shown =
    userinfo === undefined
      ? ''
      : `${userinfo.includes(':') ? `${userinfo.slice(0, userinfo.indexOf(':'))}:***` : userinfo}@`;
  return `${scheme}${shown}${m[2]}${m[3] ?? ''}${m[4] ?? ''}`;
}
