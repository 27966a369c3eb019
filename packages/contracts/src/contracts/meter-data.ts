import type { FromSchema } from 'json-schema-to-ts';
import { defineContract } from '../topic-contract.js';
import { readingNamePattern, readingValueSchema, timestampSchema } from './common-schemas.js';

/**
 * One decoded wM-Bus telegram. Value names and units follow wmbusmeters' drivers
 * (`total_energy_consumption_kwh`, …) so users can switch without re-plumbing.
 */
export const meterDataSchema = {
  type: 'object',
  required: ['timestamp', 'id', 'manufacturer', 'driver'],
  properties: {
    timestamp: timestampSchema,
    id: { type: 'string', pattern: '^[0-9]{8}$', description: 'meter id, 8 digits' },
    manufacturer: { type: 'string', pattern: '^[A-Z@]{3}$', description: 'M field, three letters' },
    driver: { type: 'string', description: 'driver that decoded it, e.g. omnipower' },
    media: { type: 'string' },
    rssi_dbm: { type: 'number' },
  },
  patternProperties: { [readingNamePattern]: readingValueSchema },
  additionalProperties: false,
} as const;

export type MeterData = FromSchema<typeof meterDataSchema>;

export const meterData = defineContract<MeterData, 'gatewayId' | 'manufacturerKey' | 'deviceId'>({
  name: 'meterData',
  description: 'A decoded wM-Bus meter reading, one message per telegram.',
  template: 'v2/{gatewayId}/{manufacturerKey}-{deviceId}/data',
  schema: meterDataSchema,
});
