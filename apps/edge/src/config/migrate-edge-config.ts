import { CURRENT_CONFIG_VERSION } from './edge-config-schema.js';

/**
 * Upgrades an older edge.yaml layout to the current one before validation. Version 1 is the first;
 * a file without `version` is taken as version 1. Each future version adds one step here, so an old
 * file keeps working and `iotgw-edge config check` shows what changed.
 */
const steps: Record<number, (raw: Record<string, unknown>) => Record<string, unknown>> = {};

export function migrateEdgeConfig(raw: Record<string, unknown>): Record<string, unknown> {
  let out = { ...raw };
  let version = typeof out['version'] === 'number' ? out['version'] : 1;
  while (version < CURRENT_CONFIG_VERSION) {
    const step = steps[version];
    if (!step) break;
    out = step(out);
    version++;
    out['version'] = version;
  }
  if (out['version'] === undefined) out['version'] = 1;
  return out;
}
