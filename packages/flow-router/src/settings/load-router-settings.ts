import { parseMysqlUrl, redactMysqlUrl } from '../db/mysql-url.js';
import { RouterError } from '../router-error.js';

export type DatabaseKind = 'mysql' | 'sqlite';

/**
 * The router's settings, read from the environment under the legacy server's names plus a few new
 * ones (all optional, with defaults). `databaseUrl` may hold a password: never log it, log
 * `redactDatabaseUrl(settings.databaseUrl)` instead.
 */
export interface RouterSettings {
  readonly databaseUrl: string;
  readonly databaseKind: DatabaseKind;
  /** LOG_DIR: where the app writes log files (the router itself logs through the logger it is given). */
  readonly logDir: string | undefined;
  /** HTTP_TIMEOUT_SECONDS: timeout of one POST_ENDPOINT request. */
  readonly httpTimeoutSeconds: number;
  /** MQTT_CLIENT_ID: base client id the app gives the MQTT connector; also names this router's saved subscriptions. */
  readonly mqttClientId: string;
  /** MQTT_KEEPALIVE, seconds, for the app's MQTT connector. */
  readonly mqttKeepalive: number;
  /** FLOWS_RELOAD_INTERVAL_SECONDS: how often flows are reloaded; 0 = only on demand. */
  readonly flowsReloadIntervalSeconds: number;
  /** ROUTER_BATCH_MAX_MESSAGES: most messages committed in one transaction. */
  readonly batchMaxMessages: number;
  /** ROUTER_BATCH_LINGER_MS: how long an idle batcher waits for more messages before committing. */
  readonly batchLingerMs: number;
  /**
   * ROUTER_BATCH_CONCURRENCY: transactions in flight at once on MySQL (SQLite has one writer). Two by
   * default: the next batch reads its keys and plans while the current one holds the flow locks.
   */
  readonly batchConcurrency: number;
  /**
   * ROUTER_BATCH_MAX_BYTES: most SQL bytes one batch transaction may send, or null (default): on MySQL
   * the server's `max_allowed_packet` less a margin (read at start), on SQLite 64 MiB. On MySQL a
   * value above what the server allows is lowered to it.
   */
  readonly batchMaxBytes: number | null;
  /** ROUTER_MAX_FIELDS: most top-level fields (records) one stored message may have (default 1,000). */
  readonly maxFields: number;
  /** ROUTER_DEDUP_WINDOW_SECONDS: a message without an id is a duplicate of one with the same topic+payload this recent. */
  readonly dedupWindowSeconds: number;
  /** ROUTER_DEDUP_ID_RETENTION_HOURS: how long message ids are remembered to drop redeliveries. */
  readonly dedupIdRetentionHours: number;
  /** ROUTER_MSG_ID_FIELD: payload field that carries a message id when there is no MQTT 5 user property. */
  readonly messageIdField: string;
  /** ROUTER_INVALID_REASON_CODE: answer refused messages with PUBACK 0x99 `never`, `on-request` or `always`. */
  readonly invalidReasonCode: 'never' | 'on-request' | 'always';
  /** HTTP_MAX_CONCURRENCY_PER_ENDPOINT: parallel POSTs to one origin. */
  readonly httpMaxConcurrencyPerEndpoint: number;
  /** HTTP_ALLOWED_HOSTS: comma-separated host names (`*.example.com` allowed); null = any host. */
  readonly httpAllowedHosts: readonly string[] | null;
  /** HTTP_MAX_ATTEMPTS: attempts before a POST goes to the dead letters; 0 = retry forever. */
  readonly httpMaxAttempts: number;
  /** HTTP_RETRY_BASE_MS / HTTP_RETRY_MAX_MS: exponential backoff (with jitter) between attempts. */
  readonly httpRetryBaseMs: number;
  readonly httpRetryMaxMs: number;
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/iotgw.db';

type Env = Readonly<Record<string, string | undefined>>;

function settingError(setting: string, message: string): RouterError {
  return new RouterError('ROUTER_ERR_SETTING', `${setting} ${message}`, { setting });
}

function read(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function number(
  env: Env,
  name: string,
  fallback: number,
  rule: { min: number; max?: number; integer?: boolean },
): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  const max = rule.max ?? Number.MAX_SAFE_INTEGER;
  if (
    !Number.isFinite(value) ||
    value < rule.min ||
    value > max ||
    (rule.integer && !Number.isInteger(value))
  ) {
    const kind = rule.integer ? 'an integer' : 'a number';
    throw settingError(name, `must be ${kind} from ${rule.min} to ${max} (got '${raw}')`);
  }
  return value;
}

/** Checks a DATABASE_URL and returns its kind; the error never repeats the URL (it may hold a password). */
export function databaseKindOf(url: string, setting = 'DATABASE_URL'): DatabaseKind {
  if (url.startsWith('sqlite:')) {
    if (url.length === 'sqlite:'.length) throw settingError(setting, "needs a path after 'sqlite:'");
    return 'sqlite';
  }
  if (url.startsWith('mysql://') || url.startsWith('mariadb://')) {
    const parsed = parseMysqlUrl(url);
    if ('problem' in parsed) throw settingError(setting, parsed.problem);
    return 'mysql';
  }
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? 'no scheme';
  throw settingError(setting, `must start with mysql:// or sqlite: (got ${scheme})`);
}

/** `mysql://user:secret@host/db` → `mysql://user:***@host/db` (every host kept); sqlite URLs unchanged. */
export function redactDatabaseUrl(url: string): string {
  if (!url.startsWith('mysql://') && !url.startsWith('mariadb://')) return url;
  return redactMysqlUrl(url);
}

function legacyDatabaseUrl(env: Env): string | undefined {
  const names = ['DB_HOST', 'DB_PORT', 'DB_NAME', 'DB_USER', 'DB_PASSWORD'] as const;
  if (!names.some((n) => env[n] !== undefined && env[n] !== '')) return undefined;
  const host = read(env, 'DB_HOST');
  const name = read(env, 'DB_NAME');
  const user = read(env, 'DB_USER');
  for (const [setting, value] of [
    ['DB_HOST', host],
    ['DB_NAME', name],
    ['DB_USER', user],
  ] as const) {
    if (value === undefined) throw settingError(setting, 'is required when any DB_* setting is given');
  }
  const port = number(env, 'DB_PORT', 3306, { min: 1, max: 65_535, integer: true });
  const password = env['DB_PASSWORD'] ?? '';
  const auth = `${encodeURIComponent(user ?? '')}${password ? `:${encodeURIComponent(password)}` : ''}`;
  return `mysql://${auth}@${host}:${port}/${encodeURIComponent(name ?? '')}`;
}

function allowedHosts(env: Env): readonly string[] | null {
  const raw = read(env, 'HTTP_ALLOWED_HOSTS');
  if (raw === undefined) return null;
  const hosts = raw
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  for (const h of hosts) {
    if (!/^(\*\.)?[a-z0-9.-]+(:\d+)?$|^\[[0-9a-f:.]+\](:\d+)?$/.test(h)) {
      throw settingError(
        'HTTP_ALLOWED_HOSTS',
        `has an invalid host '${h}' (use host, host:port or *.domain)`,
      );
    }
  }
  return Object.freeze(hosts);
}

/**
 * Reads the router's settings from `env` (the app passes `process.env`). With nothing set the
 * router uses an embedded SQLite file (`sqlite:./data/iotgw.db`); DATABASE_URL wins over DB_*.
 * Throws RouterError `ROUTER_ERR_SETTING` whose `setting` names the first missing or invalid one.
 */
export function loadRouterSettings(env: Env): RouterSettings {
  const databaseUrl = read(env, 'DATABASE_URL') ?? legacyDatabaseUrl(env) ?? DEFAULT_DATABASE_URL;
  const databaseKind = databaseKindOf(databaseUrl, read(env, 'DATABASE_URL') ? 'DATABASE_URL' : 'DB_HOST');
  const reasonMode = read(env, 'ROUTER_INVALID_REASON_CODE') ?? 'on-request';
  if (reasonMode !== 'never' && reasonMode !== 'on-request' && reasonMode !== 'always') {
    throw settingError(
      'ROUTER_INVALID_REASON_CODE',
      `must be never, on-request or always (got '${reasonMode}')`,
    );
  }
  const messageIdField = read(env, 'ROUTER_MSG_ID_FIELD') ?? 'iotgw_msg_id';
  const httpRetryBaseMs = number(env, 'HTTP_RETRY_BASE_MS', 1_000, { min: 1, integer: true });
  const httpRetryMaxMs = number(env, 'HTTP_RETRY_MAX_MS', 300_000, { min: 1, integer: true });
  if (httpRetryMaxMs < httpRetryBaseMs)
    throw settingError('HTTP_RETRY_MAX_MS', 'must be at least HTTP_RETRY_BASE_MS');
  const clientId = read(env, 'MQTT_CLIENT_ID') ?? 'iotgw-server';
  if (clientId.length > 200) throw settingError('MQTT_CLIENT_ID', 'must be at most 200 characters');
  return Object.freeze({
    databaseUrl,
    databaseKind,
    logDir: read(env, 'LOG_DIR'),
    httpTimeoutSeconds: number(env, 'HTTP_TIMEOUT_SECONDS', 10, { min: 0.001, max: 3600 }),
    mqttClientId: clientId,
    mqttKeepalive: number(env, 'MQTT_KEEPALIVE', 60, { min: 0, max: 65_535, integer: true }),
    flowsReloadIntervalSeconds: number(env, 'FLOWS_RELOAD_INTERVAL_SECONDS', 30, { min: 0, max: 86_400 }),
    batchMaxMessages: number(env, 'ROUTER_BATCH_MAX_MESSAGES', 500, { min: 1, max: 10_000, integer: true }),
    batchLingerMs: number(env, 'ROUTER_BATCH_LINGER_MS', 2, { min: 0, max: 1_000 }),
    batchConcurrency: number(env, 'ROUTER_BATCH_CONCURRENCY', 2, { min: 1, max: 8, integer: true }),
    batchMaxBytes:
      read(env, 'ROUTER_BATCH_MAX_BYTES') === undefined
        ? null
        : number(env, 'ROUTER_BATCH_MAX_BYTES', 0, { min: 65_536, max: 1_073_741_824, integer: true }),
    maxFields: number(env, 'ROUTER_MAX_FIELDS', 1_000, { min: 1, max: 100_000, integer: true }),
    dedupWindowSeconds: number(env, 'ROUTER_DEDUP_WINDOW_SECONDS', 600, { min: 0, integer: true }),
    dedupIdRetentionHours: number(env, 'ROUTER_DEDUP_ID_RETENTION_HOURS', 168, { min: 1, integer: true }),
    messageIdField,
    invalidReasonCode: reasonMode,
    httpMaxConcurrencyPerEndpoint: number(env, 'HTTP_MAX_CONCURRENCY_PER_ENDPOINT', 4, {
      min: 1,
      max: 1_000,
      integer: true,
    }),
    httpAllowedHosts: allowedHosts(env),
    httpMaxAttempts: number(env, 'HTTP_MAX_ATTEMPTS', 0, { min: 0, integer: true }),
    httpRetryBaseMs,
    httpRetryMaxMs,
  });
}
