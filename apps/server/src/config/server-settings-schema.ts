/**
 * The server's own settings as read from the environment (names in `serverEnvBindings`), validated by
 * @iotgw/config. The flow router's settings (the legacy names and ROUTER_*) are passed through to
 * `loadRouterSettings`, which owns their rules.
 */
export const serverSettingsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    httpPort: { type: 'integer', minimum: 0, maximum: 65_535, default: 8080 },
    httpHost: { type: 'string', minLength: 1 },
    httpBodyLimitBytes: { type: 'integer', minimum: 1024, maximum: 67_108_864, default: 1_048_576 },
    corsOrigins: { type: 'array', items: { type: 'string', minLength: 1 }, default: [] },
    writeRateLimitPerMinute: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 120 },
    mqttUrl: { type: 'string', pattern: '^(mqtts?|wss?)://' },
    mqttUsername: { type: 'string', minLength: 1 },
    mqttPasswordFile: { type: 'string', minLength: 1 },
    mqttCaFile: { type: 'string', minLength: 1 },
    secretRefEnvAllow: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', pattern: '^[A-Za-z_*][A-Za-z0-9_*]*$' },
      default: ['MQTT_*'],
    },
    secretRefDir: { type: 'string', pattern: '^/', default: '/run/secrets' },
    mqttShareGroup: { type: 'string', pattern: '^[^/+#\\u0000]+$' },
    mqttConnections: { type: 'integer', minimum: 1, maximum: 256 },
    mqttProtocolVersion: { type: 'string', enum: ['auto', '4', '5'], default: 'auto' },
    mqttSessionExpirySeconds: { type: 'integer', minimum: 0, maximum: 4_294_967_295, default: 604_800 },
    dbPasswordFile: { type: 'string', minLength: 1 },
    apiTokensFile: { type: 'string', minLength: 1 },
    apiTokens: { type: 'string' },
    logLevel: {
      type: 'string',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
    },
    gatewaysMax: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 10_000 },
    receipts: { type: 'string', enum: ['on', 'off'], default: 'on' },
    provisioningWaitSeconds: { type: 'number', minimum: 0, maximum: 120, default: 5 },
    shutdownTimeoutSeconds: { type: 'number', minimum: 1, maximum: 3_600, default: 30 },
    /** Pass-through of the router's settings and MQTT_PASSWORD, so that `.env` can hold them too. */
    env: { type: 'object', additionalProperties: { type: 'string' }, default: {} },
  },
} as const;

export interface ServerSettings {
  httpPort: number;
  httpHost?: string;
  httpBodyLimitBytes: number;
  corsOrigins: string[];
  writeRateLimitPerMinute: number;
  mqttUrl?: string;
  mqttUsername?: string;
  mqttPasswordFile?: string;
  mqttCaFile?: string;
  secretRefEnvAllow: string[];
  secretRefDir: string;
  mqttShareGroup?: string;
  mqttConnections?: number;
  mqttProtocolVersion: 'auto' | '4' | '5';
  mqttSessionExpirySeconds: number;
  dbPasswordFile?: string;
  apiTokensFile?: string;
  apiTokens?: string;
  logLevel: string;
  gatewaysMax: number;
  receipts: 'on' | 'off';
  provisioningWaitSeconds: number;
  shutdownTimeoutSeconds: number;
  env: Record<string, string>;
}

/** The router's settings (legacy names first), read by `loadRouterSettings` from the merged environment. */
export const ROUTER_ENV_NAMES = [
  'DATABASE_URL',
  'DB_HOST',
  'DB_PORT',
  'DB_NAME',
  'DB_USER',
  'DB_PASSWORD',
  'LOG_DIR',
  'HTTP_TIMEOUT_SECONDS',
  'MQTT_CLIENT_ID',
  'MQTT_KEEPALIVE',
  'FLOWS_RELOAD_INTERVAL_SECONDS',
  'ROUTER_BATCH_MAX_MESSAGES',
  'ROUTER_BATCH_LINGER_MS',
  'ROUTER_BATCH_CONCURRENCY',
  'ROUTER_BATCH_MAX_BYTES',
  'ROUTER_MAX_FIELDS',
  'ROUTER_DEDUP_WINDOW_SECONDS',
  'ROUTER_DEDUP_ID_RETENTION_HOURS',
  'ROUTER_MSG_ID_FIELD',
  'ROUTER_INVALID_REASON_CODE',
  'HTTP_MAX_CONCURRENCY_PER_ENDPOINT',
  'HTTP_ALLOWED_HOSTS',
  'HTTP_MAX_ATTEMPTS',
  'HTTP_RETRY_BASE_MS',
  'HTTP_RETRY_MAX_MS',
] as const;

/** Environment variable → setting. */
export const serverEnvBindings: Readonly<Record<string, string>> = {
  HTTP_PORT: 'httpPort',
  HTTP_HOST: 'httpHost',
  HTTP_BODY_LIMIT_BYTES: 'httpBodyLimitBytes',
  HTTP_CORS_ORIGINS: 'corsOrigins',
  HTTP_WRITE_RATE_LIMIT: 'writeRateLimitPerMinute',
  MQTT_URL: 'mqttUrl',
  MQTT_USERNAME: 'mqttUsername',
  MQTT_PASSWORD_FILE: 'mqttPasswordFile',
  MQTT_CA_FILE: 'mqttCaFile',
  SECRET_REF_ENV_ALLOW: 'secretRefEnvAllow',
  SECRET_REF_DIR: 'secretRefDir',
  MQTT_SHARE_GROUP: 'mqttShareGroup',
  MQTT_CONNECTIONS: 'mqttConnections',
  MQTT_PROTOCOL_VERSION: 'mqttProtocolVersion',
  MQTT_SESSION_EXPIRY_SECONDS: 'mqttSessionExpirySeconds',
  DB_PASSWORD_FILE: 'dbPasswordFile',
  API_TOKENS_FILE: 'apiTokensFile',
  API_TOKENS: 'apiTokens',
  LOG_LEVEL: 'logLevel',
  GATEWAYS_MAX: 'gatewaysMax',
  RECEIPTS: 'receipts',
  PROVISIONING_WAIT_SECONDS: 'provisioningWaitSeconds',
  SHUTDOWN_TIMEOUT_SECONDS: 'shutdownTimeoutSeconds',
  ...Object.fromEntries([...ROUTER_ENV_NAMES, 'MQTT_PASSWORD'].map((name) => [name, `env.${name}`])),
};
