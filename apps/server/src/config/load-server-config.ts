import { readFileSync } from 'node:fs';
import { ConfigError, formatProblem, loadConfig, resolveSecret } from '@iotgw/config';
import { loadRouterSettings, RouterError, type RouterSettings, redactDatabaseUrl } from '@iotgw/flow-router';
import { type ApiToken, ApiTokenStore, parseApiTokens } from '../auth/api-tokens.js';
import { ServerError } from '../server-error.js';
import type { SecretRefPolicy } from './secret-ref-policy.js';
import { type ServerSettings, serverEnvBindings, serverSettingsSchema } from './server-settings-schema.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface MqttSettings {
  /** MQTT_URL without credentials; undefined = the first enabled row of mqtt_servers. */
  readonly url: string | undefined;
  readonly username: string | undefined;
  /** A secret reference (`env:MQTT_PASSWORD` or `file:<MQTT_PASSWORD_FILE>`), resolved by the connector. */
  readonly passwordRef: string | undefined;
  readonly caFile: string | undefined;
  /** MQTT_CLIENT_ID when it was given explicitly (it then wins over the mqtt_servers row's client id). */
  readonly clientId: string | undefined;
  readonly shareGroup: string | undefined;
  readonly connections: number;
  readonly protocolVersion: 4 | 5 | 'auto';
  /** MQTT 5 session expiry of the router's persistent session (default 7 days). */
  readonly sessionExpirySeconds: number;
}

export interface HttpSettings {
  readonly port: number;
  /** The address actually bound: HTTP_HOST, forced to 127.0.0.1 when no API token is configured. */
  readonly host: string;
  /** HTTP_HOST as given, when it was overridden for lack of tokens (for the start-up warning). */
  readonly refusedHost: string | undefined;
  readonly bodyLimitBytes: number;
  readonly corsOrigins: readonly string[];
  readonly writeRateLimitPerMinute: number;
}

/**
 * Everything iotgw-server needs, validated and frozen. API tokens are kept hashed only; the database
 * URL and `secretEnv` can hold passwords: log `describeConfig(config)`, never the config itself.
 */
export interface ServerConfig {
  readonly router: RouterSettings;
  readonly http: HttpSettings;
  readonly mqtt: MqttSettings;
  readonly tokens: ApiTokenStore;
  /** Where the tokens came from (`API_TOKENS_FILE /run/secrets/x`, `API_TOKENS`, `none`). */
  readonly tokensSource: string;
  readonly logLevel: string;
  readonly logDir: string | undefined;
  readonly provisioningWaitMs: number;
  /** Gateways the directory keeps (GATEWAYS_MAX); more evict the longest-silent. */
  readonly gatewaysMax: number;
  /** RECEIPTS: whether the router's acknowledgements become receipts to the edges (gatewayReceipt). */
  readonly receipts: boolean;
  readonly shutdownTimeoutMs: number;
  /** The environment `env:NAME` secret references resolve against (the process's, plus `.env`). */
  readonly secretEnv: Env;
  /** Which secrets a stored `mqtt_servers.passwordRef` may name (SECRET_REF_ENV_ALLOW, SECRET_REF_DIR). */
  readonly secretRefs: SecretRefPolicy;
}

export interface LoadServerConfigOptions {
  /** `.env` file to read (default `.env` in the working directory when present); false = none. */
  envFile?: string | false;
}

/** Connections in a share group when MQTT_CONNECTIONS is not set (the connector's maximum). */
export const DEFAULT_SHARED_CONNECTIONS = 64;

function configError(message: string, cause?: unknown): ServerError {
  return new ServerError('SERVER_ERR_CONFIG', message, cause === undefined ? undefined : { cause });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function loadTokens(s: ServerSettings): { tokens: ApiToken[]; source: string } {
  const tokens: ApiToken[] = [];
  const sources: string[] = [];
  if (s.apiTokensFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(s.apiTokensFile, 'utf8');
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code ?? 'error';
      throw configError(`API_TOKENS_FILE ${s.apiTokensFile} cannot be read (${code})`, cause);
    }
    const parsed = parseApiTokens(text, 'file', `API_TOKENS_FILE ${s.apiTokensFile}`);
    if (!parsed.ok) throw configError(parsed.problems.map((p) => `${p.where} ${p.message}`).join('; '));
    tokens.push(...parsed.tokens);
    sources.push(`API_TOKENS_FILE ${s.apiTokensFile}`);
  }
  if (s.apiTokens !== undefined && s.apiTokens.trim() !== '') {
    const parsed = parseApiTokens(s.apiTokens, 'env', 'API_TOKENS');
    if (!parsed.ok) throw configError(parsed.problems.map((p) => `${p.where} ${p.message}`).join('; '));
    tokens.push(...parsed.tokens);
    sources.push('API_TOKENS');
  }
  return { tokens, source: sources.length > 0 ? sources.join(' + ') : 'none' };
}

function mqttSettings(s: ServerSettings): MqttSettings {
  let url = s.mqttUrl;
  let username = s.mqttUsername;
  if (url !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (cause) {
      throw configError(
        'MQTT_URL is not a valid URL (expected mqtt://host:1883, mqtts://, ws:// or wss://)',
        cause,
      );
    }
    if (parsed.password) {
      throw configError(
        'MQTT_URL may not contain a password: set MQTT_PASSWORD (or MQTT_PASSWORD_FILE) and MQTT_USERNAME',
      );
    }
    if (parsed.username) {
      username ??= decodeURIComponent(parsed.username);
      parsed.username = '';
      url = parsed.toString().replace(/\/$/, '');
    }
  }
  const hasPassword = s.env['MQTT_PASSWORD'] !== undefined && s.env['MQTT_PASSWORD'] !== '';
  if (hasPassword && s.mqttPasswordFile !== undefined) {
    throw configError('set MQTT_PASSWORD or MQTT_PASSWORD_FILE, not both');
  }
  const passwordRef = hasPassword
    ? 'env:MQTT_PASSWORD'
    : s.mqttPasswordFile !== undefined
      ? `file:${s.mqttPasswordFile}`
      : undefined;
  if (passwordRef !== undefined && username === undefined) {
    throw configError('MQTT_PASSWORD/MQTT_PASSWORD_FILE is set but MQTT_USERNAME is not');
  }
  // The router commits one message per connection per batch (MQTT.js acknowledges one message per
  // connection at a time): in a share group, as many connections as the connector allows.
  const connections = s.mqttConnections ?? (s.mqttShareGroup === undefined ? 1 : DEFAULT_SHARED_CONNECTIONS);
  if (connections > 1 && s.mqttShareGroup === undefined) {
    throw configError(
      'MQTT_CONNECTIONS > 1 needs MQTT_SHARE_GROUP: without a shared subscription every connection receives every message',
    );
  }
  const clientId = s.env['MQTT_CLIENT_ID'];
  return {
    url,
    username,
    passwordRef,
    caFile: s.mqttCaFile,
    clientId: clientId === undefined || clientId.trim() === '' ? undefined : clientId.trim(),
    shareGroup: s.mqttShareGroup,
    connections,
    protocolVersion: s.mqttProtocolVersion === 'auto' ? 'auto' : s.mqttProtocolVersion === '4' ? 4 : 5,
    sessionExpirySeconds: s.mqttSessionExpirySeconds,
  };
}

/**
 * Reads iotgw-server's configuration from `env` (the process environment) and a `.env` file: the
 * server's settings through @iotgw/config, the router's (legacy names, DATABASE_URL, ROUTER_*) through
 * `loadRouterSettings`. Throws ServerError `SERVER_ERR_CONFIG` with one line naming the setting.
 */
export function loadServerConfig(env: Env, options: LoadServerConfigOptions = {}): ServerConfig {
  let s: ServerSettings;
  try {
    s = loadConfig<ServerSettings>({
      schema: serverSettingsSchema,
      env,
      envBindings: serverEnvBindings,
      ...(options.envFile !== undefined ? { envFile: options.envFile } : {}),
    }) as ServerSettings;
  } catch (err) {
    if (err instanceof ConfigError) {
      throw configError(`invalid configuration: ${err.problems.map(formatProblem).join('; ')}`, err);
    }
    throw err;
  }
  // The real environment wins over .env (the bindings already hold the .env values it does not set).
  const merged: Record<string, string | undefined> = { ...s.env, ...env };
  if (s.dbPasswordFile !== undefined) {
    if (merged['DB_PASSWORD'] !== undefined && merged['DB_PASSWORD'] !== '') {
      throw configError('set DB_PASSWORD or DB_PASSWORD_FILE, not both');
    }
    try {
      merged['DB_PASSWORD'] = resolveSecret(`file:${s.dbPasswordFile}`);
    } catch (err) {
      throw configError(`DB_PASSWORD_FILE: ${(err as Error).message}`, err);
    }
  }
  let router: RouterSettings;
  try {
    router = loadRouterSettings(merged);
  } catch (err) {
    if (err instanceof RouterError) throw configError(err.message, err);
    throw err;
  }
  const { tokens, source } = loadTokens(s);
  const store = new ApiTokenStore(tokens);
  const requested = s.httpHost;
  const open = store.open;
  const host = open
    ? requested !== undefined && isLoopback(requested)
      ? requested
      : '127.0.0.1'
    : (requested ?? '0.0.0.0');
  return Object.freeze({
    router,
    http: Object.freeze({
      port: s.httpPort,
      host,
      refusedHost: open && requested !== undefined && !isLoopback(requested) ? requested : undefined,
      bodyLimitBytes: s.httpBodyLimitBytes,
      corsOrigins: Object.freeze([...s.corsOrigins]),
      writeRateLimitPerMinute: s.writeRateLimitPerMinute,
    }),
    mqtt: Object.freeze(mqttSettings(s)),
    tokens: store,
    tokensSource: source,
    logLevel: s.logLevel,
    logDir: router.logDir,
    provisioningWaitMs: Math.round(s.provisioningWaitSeconds * 1000),
    gatewaysMax: s.gatewaysMax,
    receipts: s.receipts === 'on',
    shutdownTimeoutMs: Math.round(s.shutdownTimeoutSeconds * 1000),
    secretEnv: Object.freeze(merged),
    secretRefs: Object.freeze({
      envAllow: Object.freeze([...s.secretRefEnvAllow]),
      secretsDir: s.secretRefDir,
    }),
  });
}

/** What the start-up log line shows: no password, no token. */
export function describeConfig(config: ServerConfig): Record<string, unknown> {
  return {
    database: redactDatabaseUrl(config.router.databaseUrl),
    mqtt: config.mqtt.url ?? 'first enabled row of mqtt_servers',
    mqttShareGroup: config.mqtt.shareGroup ?? null,
    mqttConnections: config.mqtt.connections,
    http: `${config.http.host}:${config.http.port}`,
    apiTokens: { source: config.tokensSource, ...config.tokens.roles() },
    flowsReloadIntervalSeconds: config.router.flowsReloadIntervalSeconds,
  };
}
