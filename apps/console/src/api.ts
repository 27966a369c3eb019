/** The console's only way to the server: the documented HTTP API, with the tab's token. */

const TOKEN_KEY = 'iotgw-token';

export interface Problem {
  readonly in?: string;
  readonly path: string;
  readonly message: string;
}

export interface ApiResult<T> {
  readonly status: number;
  readonly ok: boolean;
  readonly body: T;
  /** On errors: the server's `{ error, message, problems }`. */
  readonly error?: { error: string; message: string; problems?: Problem[] };
}

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token: string | null): void {
  if (token === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

export function authHeaders(): Record<string, string> {
  const token = storedToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called when the server answers 401 (token missing, wrong or revoked): the app shows the login. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { ...authHeaders(), accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    const message = `the server did not answer (${(err as Error).message})`;
    return { status: 0, ok: false, body: undefined as T, error: { error: 'network', message } };
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (res.status === 401) for (const l of unauthorizedListeners) l();
  if (res.ok) return { status: res.status, ok: true, body: parsed as T };
  const e = parsed as ApiResult<T>['error'];
  return {
    status: res.status,
    ok: false,
    body: parsed as T,
    error: e?.message ? e : { error: String(res.status), message: `${res.status} ${res.statusText}` },
  };
}

/** Problems by field name: `$.payloadSchema.temp` → `payloadSchema`, `$[2].encryptionKey` → `2.encryptionKey`. */
export function problemsByField(problems: readonly Problem[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of problems ?? []) {
    const m = /^\$(?:\[(\d+)\])?\.?([A-Za-z0-9_]*)/.exec(p.path);
    const key = m ? [m[1], m[2]].filter((x) => x !== undefined && x !== '').join('.') : '';
    const text = p.path.length > (m?.[0].length ?? 0) ? `${p.path}: ${p.message}` : p.message;
    out[key] = out[key] ? `${out[key]}; ${text}` : text;
  }
  return out;
}
