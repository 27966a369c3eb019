import type { FromSchema } from 'json-schema-to-ts';
import { defineContract } from '../topic-contract.js';

/**
 * What the gateway accepts in one entry (its meter registry applies these rules, entry by entry, so one
 * bad entry does not refuse the others). Senders check them first: the server's API refuses a list
 * with a bad entry (400, with the JSON path) before anything is published.
 */
export const meterProvisioningRules = {
  deviceId: { pattern: /^[0-9]{8}$/, text: 'must be 8 digits (the meter id printed on the meter)' },
  manufacturerKey: {
    pattern: /^[A-Za-z0-9_.]{1,32}$/,
    text: 'must be 1-32 letters, digits, "_" or "." (it is used in topics; the M-Bus code, e.g. "kam")',
  },
  encryptionKey: { pattern: /^[0-9A-Fa-f]{32}$/, text: 'must be 32 hex digits (the AES-128 key)' },
  /** Published in status topics: so it must not look like a key. */
  manufacturerDeviceKey: {
    pattern: /^(?![\s\S]*[0-9A-Fa-f]{32})[\s\S]{0,64}$/,
    text: 'must be at most 64 characters and must not look like a key (it is published)',
  },
} as const;

const rule = (name: keyof typeof meterProvisioningRules) =>
  meterProvisioningRules[name].text.replace(/^must be /, '');

/**
 * The monitored-meter list pushed by the server. The schema fixes the shape; the per-entry rules are
 * `meterProvisioningRules` (see `meterProvisioningProblems`).
 */
export const meterProvisioningSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      deviceId: { type: 'string', description: `Required; ${rule('deviceId')}.` },
      manufacturerKey: { type: 'string', description: `Required; ${rule('manufacturerKey')}.` },
      encryptionKey: { type: 'string', description: `Required; ${rule('encryptionKey')}.` },
      manufacturerDeviceKey: { type: 'string', description: `Optional; ${rule('manufacturerDeviceKey')}.` },
    },
  },
} as const;

export type MeterProvisioning = FromSchema<typeof meterProvisioningSchema>;
export type MeterProvisioningEntry = MeterProvisioning[number];

const LEGACY_KEYS: Record<string, string> = {
  DeviceId: 'deviceId',
  ManufacturerKey: 'manufacturerKey',
  EncryptionKey: 'encryptionKey',
  ManufacturerDeviceKey: 'manufacturerDeviceKey',
};

/** The legacy sender wrote camelCase, the legacy receiver read PascalCase: accept both, produce camelCase. */
function normalizeKeys(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((entry) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return entry;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(entry as Record<string, unknown>)) {
      const camel = LEGACY_KEYS[key];
      if (camel === undefined) out[key] = v;
      else if (!(camel in (entry as object))) out[camel] = v;
    }
    return out;
  });
}

export const meterProvisioning = defineContract<MeterProvisioning, 'gatewayId'>({
  name: 'meterProvisioning',
  description: 'Replaces the list of meters a gateway monitors (with their AES keys).',
  template: 'v2/{gatewayId}/sensors/set',
  schema: meterProvisioningSchema,
  normalize: normalizeKeys,
  carriesSecrets: true,
});

/** One broken rule of a provisioning list: the JSON path and what is wrong (a key is never echoed). */
export interface ProvisioningProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * Every entry of a (shape-valid, normalized) provisioning list checked against `meterProvisioningRules`,
 * and duplicate device ids; empty when the gateway will accept every entry.
 */
export function meterProvisioningProblems(list: MeterProvisioning): ProvisioningProblem[] {
  const problems: ProvisioningProblem[] = [];
  const seen = new Map<string, number>();
  list.forEach((entry, i) => {
    for (const name of ['deviceId', 'manufacturerKey', 'encryptionKey', 'manufacturerDeviceKey'] as const) {
      const value = entry[name];
      const path = `$[${i}].${name}`;
      if (value === undefined || value === '') {
        if (name !== 'manufacturerDeviceKey') problems.push({ path, message: 'is required' });
      } else if (!meterProvisioningRules[name].pattern.test(value)) {
        const got = name === 'deviceId' && value.length <= 12 ? ` (got ${JSON.stringify(value)})` : '';
        problems.push({ path, message: `${meterProvisioningRules[name].text}${got}` });
      }
    }
    const id = entry.deviceId;
    if (id !== undefined && seen.has(id))
      problems.push({ path: `$[${i}].deviceId`, message: `duplicates $[${seen.get(id)}].deviceId` });
    else if (id !== undefined) seen.set(id, i);
  });
  return problems;
}
