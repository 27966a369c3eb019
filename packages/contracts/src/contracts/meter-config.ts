import type { FromSchema } from 'json-schema-to-ts';
import { defineContract } from '../topic-contract.js';
import { timestampSchema } from './common-schemas.js';

/** What the gateway will publish for a provisioned meter. Never carries the key. */
export const meterConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['timestamp', 'deviceId', 'manufacturerKey', 'fields'],
  properties: {
    timestamp: timestampSchema,
    deviceId: { type: 'string' },
    manufacturerKey: { type: 'string' },
    manufacturerDeviceKey: { type: 'string' },
    driver: { type: 'string', description: 'driver expected to decode it, if known' },
    media: { type: 'string' },
    encrypted: { type: 'boolean' },
    fields: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'unit'],
        properties: {
          name: { type: 'string' },
          unit: { type: 'string' },
          quantity: { type: 'string' },
        },
      },
    },
  },
} as const;

export type MeterConfig = FromSchema<typeof meterConfigSchema>;

export const meterConfig = defineContract<MeterConfig, 'gatewayId' | 'manufacturerKey' | 'deviceId'>({
  name: 'meterConfig',
  description: 'Configuration of one monitored meter, published when it is provisioned.',
  template: 'v2/{gatewayId}/{manufacturerKey}-{deviceId}/config',
  schema: meterConfigSchema,
  retain: true,
});
