import { existsSync, readFileSync } from 'node:fs';
import { type ConfigProblem, isSecretRef, resolveSecret } from '@iotgw/config';
import type { EdgeConfig } from './edge-config-schema.js';

/**
 * What `iotgw-edge config check` adds to the schema: the file states its layout `version`, every secret
 * reference resolves here (env:NAME set, file:/path readable), and the files it names exist. Values
 * are never printed, only the reference and the path.
 */
export function deploymentProblems(
  file: string,
  config: Readonly<EdgeConfig> | undefined,
  env: Readonly<Record<string, string | undefined>>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return problems;
  }
  if (!/(^|[{,\s])"?version"?\s*:/m.test(text)) {
    problems.push({
      source: file,
      path: '$.version',
      message: 'is required: the layout version of this file (write version: 1 at the top)',
    });
  }
  if (!config) return problems;
  const walk = (value: unknown, path: string) => {
    if (isSecretRef(value)) {
      try {
        resolveSecret(value, env);
      } catch (err) {
        problems.push({ source: file, path, message: `cannot be resolved: ${(err as Error).message}` });
      }
    } else if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, `${path}[${i}]`);
    } else if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value))
        walk(v, /^[A-Za-z_]\w*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`);
  };
  walk(config, '$');
  const files: [string, unknown][] = [
    ['$.mqtt.tls.ca', config.mqtt.tls?.ca],
    ['$.mqtt.tls.cert', config.mqtt.tls?.cert],
    ['$.mqtt.tls.key', config.mqtt.tls?.key],
    ['$.ble.source.file', config.ble.source?.kind === 'replay' ? config.ble.source.file : undefined],
    ['$.wmbus.source.file', config.wmbus.source?.kind === 'replay' ? config.wmbus.source.file : undefined],
  ];
  for (const [path, value] of files) {
    if (typeof value === 'string' && !isSecretRef(value) && !existsSync(value))
      problems.push({ source: file, path, message: `names a file that does not exist: ${value}` });
  }
  return problems;
}
