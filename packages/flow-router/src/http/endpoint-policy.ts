/**
 * Whether a POST_ENDPOINT URL may be used: http/https only, no credentials in the URL (they would sit in
 * the database in clear), and, when an allow list is configured, a host on it (`host`, `host:port`, or
 * `*.domain` for any sub-domain). Pure: returns the reason or null.
 */
export function endpointProblem(url: string, allowedHosts: readonly string[] | null): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not a valid absolute URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return `must use http: or https: (got ${u.protocol})`;
  }
  if (u.username || u.password) return 'must not contain credentials';
  if (allowedHosts === null) return null;
  const host = u.hostname.toLowerCase();
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  const allowed = allowedHosts.some((entry) => {
    const m = /^(.*?)(?::(\d+))?$/.exec(entry);
    const name = m?.[1] ?? entry;
    const entryPort = m?.[2];
    if (entryPort !== undefined && entryPort !== port) return false;
    if (name.startsWith('*.')) return host.endsWith(name.slice(1)) && host.length > name.length - 1;
    return host === name;
  });
  return allowed ? null : `host ${host} is not in HTTP_ALLOWED_HOSTS`;
}

/** The key of the per-endpoint concurrency limit: scheme, host and port. */
export function endpointKey(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
