import type { FromSchema } from 'json-schema-to-ts';
import { defineContract } from '../topic-contract.js';
import { readingNamePattern, readingValueSchema, timestampSchema } from './common-schemas.js';

/**
 * A reading from any other BLE format (BTHome v2, Ruuvi, …): flat, one key per value, names in
 * snake_case with the unit as suffix, so a STORE_DB flow stores one record per value.
 */
export const bleReadingSchema = {
  type: 'object',
  required: ['timestamp', 'format'],
  properties: {
    timestamp: timestampSchema,
    format: { type: 'string', pattern: '^[a-z][a-z0-9_]*$', description: 'decoder that produced it' },
    brand: { type: 'string', description: 'device manufacturer, from the definition that identified it' },
    model: { type: 'string', description: 'device model name' },
    model_id: { type: 'string', description: "vendor's model number" },
    rssi_dbm: { type: 'number' },
  },
  patternProperties: { [readingNamePattern]: readingValueSchema },
  additionalProperties: false,
} as const;

export type BleReading = FromSchema<typeof bleReadingSchema>;

export const bleReading = defineContract<BleReading, 'gatewayId' | 'address'>({
  name: 'bleReading',
  description: 'A decoded BLE advertisement of any format other than the Thingy:52 custom payload.',
  template: 'v2/{gatewayId}/ble/{address}/data',
  schema: bleReadingSchema,
});
