export { type ApiRole, type ApiToken, ApiTokenStore, parseApiTokens, sha256 } from './auth/api-tokens.js';
export { type Command, parseCommandLine, USAGE } from './cli/parse-command-line.js';
export { type CliIo, runCli } from './cli/run-cli.js';
export {
  describeConfig,
  type LoadServerConfigOptions,
  loadServerConfig,
  type MqttSettings,
  type ServerConfig,
} from './config/load-server-config.js';
export {
  allowedSecretEnv,
  DEFAULT_SECRET_REF_POLICY,
  type SecretRefPolicy,
  secretRefProblem,
} from './config/secret-ref-policy.js';
export { ROUTER_ENV_NAMES, serverEnvBindings } from './config/server-settings-schema.js';
export {
  DEFAULT_MAX_GATEWAYS,
  GatewayDirectory,
  type GatewayDirectoryOptions,
  type GatewayPage,
  type GatewayState,
  type StatusAccepted,
} from './gateways/gateway-directory.js';
export { MeterProvisioner, type ProvisioningResult } from './gateways/meter-provisioner.js';
export { ApiError, type ApiErrorCode, type ApiProblem } from './http/api-error.js';
export type { ApiServices, RouterControl } from './http/api-services.js';
export { type AppOptions, buildApp } from './http/build-app.js';
export { csvField, csvLine } from './http/csv.js';
export { CONSOLE_CSP, CONSOLE_PAGES, consoleRoutes } from './http/routes/console-routes.js';
export { LIVE_MAX_STREAMS, LIVE_RING_SIZE, LiveFeed, type LiveFilter } from './live/live-feed.js';
export { type LiveReading, liveReading, readingSource } from './live/live-reading.js';
export { type MetricSources, ServerMetrics } from './metrics/server-metrics.js';
export { type ConnectorTransport, connectorTransport } from './server/connector-transport.js';
export { createServerLogger } from './server/create-server-logger.js';
export { type DatabaseServices, databaseServices } from './server/database-services.js';
export { type FlowCounts, flowCounts } from './server/flow-counters.js';
export { IotgwServer, type StartOptions } from './server/iotgw-server.js';
export {
  COMMIT_STALL_GRACE_MS,
  commitCheck,
  type ReadinessReport,
  readinessProbe,
} from './server/readiness.js';
export { formatMigrationReport, runMigrations } from './server/run-migrations.js';
export { oneLine, ServerError, type ServerErrorCode } from './server-error.js';
export { serverVersion } from './version.js';
