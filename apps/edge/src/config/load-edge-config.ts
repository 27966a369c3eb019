import { type ConfigCheck, checkConfig, type LoadConfigOptions, loadConfig } from '@iotgw/config';
import { deploymentProblems } from './deployment-checks.js';
import { type EdgeConfig, edgeConfigSchema } from './edge-config-schema.js';
import { migrateEdgeConfig } from './migrate-edge-config.js';

export const DEFAULT_CONFIG_PATH = '/etc/iotgw/edge.yaml';

/**
 * Environment variables that override the file. Besides these, any `IOTGW_EDGE_<SECTION>__<KEY>`
 * sets `<section>.<key>` (e.g. `IOTGW_EDGE_BLE__DEDUP_WINDOW_S=5`).
 */
export const edgeEnvBindings = {
  IOTGW_GATEWAY_ID: 'gatewayId',
  MQTT_URL: 'mqtt.url',
  MQTT_USERNAME: 'mqtt.username',
  LOG_LEVEL: 'log.level',
  IOTGW_STATE_DIR: 'stateDir',
} as const;

function options(file: string | undefined, env: Record<string, string | undefined>): LoadConfigOptions {
  return {
    schema: edgeConfigSchema,
    file,
    env,
    envBindings: edgeEnvBindings,
    envPrefix: 'IOTGW_EDGE_',
    migrate: migrateEdgeConfig,
  };
}

/** Loads and validates the edge configuration; throws a ConfigError listing every problem. */
export function loadEdgeConfig(
  file: string | undefined,
  env: Record<string, string | undefined> = process.env,
): EdgeConfig {
  return loadConfig<EdgeConfig>(options(file, env)) as EdgeConfig;
}

/**
 * For `iotgw-edge config check`: every problem, with file:line:col and JSON path. `deployment` adds what
 * only the machine it runs on can tell: `version` written, secret references resolvable, files present.
 */
export function checkEdgeConfig(
  file: string | undefined,
  env: Record<string, string | undefined> = process.env,
  { deployment = false }: { deployment?: boolean } = {},
): ConfigCheck<EdgeConfig> {
  const check = checkConfig<EdgeConfig>(options(file, env));
  if (!deployment || file === undefined) return check;
  const more = deploymentProblems(file, check.config, env);
  return more.length ? { config: undefined, problems: [...more, ...check.problems] } : check;
}
