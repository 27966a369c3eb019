import type { FromSchema } from 'json-schema-to-ts';
import { defineContract } from '../topic-contract.js';

/**
 * The monitored-meter list pushed by the server. Entries are checked one by one by the gateway's
 * meter registry (8-digit id, 32-hex key) so one bad entry does not refuse the others; the schema
 * only fixes the shape.
 */
export const meterProvisioningSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      deviceId: { type: 'string' },
      manufacturerKey: { type: 'string' },
      encryptionKey: { type: 'string' },
      manufacturerDeviceKey: { type: 'string' },
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
