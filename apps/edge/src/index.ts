export { type Command, parseCommandLine, USAGE } from './cli/parse-command-line.js';
export { CURRENT_CONFIG_VERSION, type EdgeConfig, edgeConfigSchema } from './config/edge-config-schema.js';
export {
  checkEdgeConfig,
  DEFAULT_CONFIG_PATH,
  edgeEnvBindings,
  loadEdgeConfig,
} from './config/load-edge-config.js';
export {
  bleDiscovery,
  type DiscoveryContext,
  type DiscoveryMessage,
  meterDiscovery,
  staleDiscovery,
  thingyDiscovery,
} from './discovery/ha-discovery.js';
export { type EdgeMetricSources, EdgeMetrics } from './observability/edge-metrics.js';
export { edgeVersion } from './version.js';
