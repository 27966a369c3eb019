import type { FromSchema } from 'json-schema-to-ts';
import { defineContract } from '../topic-contract.js';
import { timestampSchema } from './common-schemas.js';

/** Byte-compatible with the legacy Thingy:52 BLE gateway: names, types and units unchanged. */
export const thingyReadingSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['timestamp'],
  properties: {
    timestamp: timestampSchema,
    temp: { type: 'number', description: 'temperature, °C, 0.1 resolution' },
    humidity: { type: 'integer', minimum: 0, maximum: 255, description: 'relative humidity, %' },
    co2_ppm: { type: 'integer', minimum: 0, maximum: 4294967294, description: 'eCO2, ppm' },
    window_open: { type: 'boolean' },
    battery: { type: 'integer', minimum: 0, maximum: 255, description: 'battery level, %' },
  },
} as const;

export type ThingyReading = FromSchema<typeof thingyReadingSchema>;

export const thingyReading = defineContract<ThingyReading, 'gatewayId' | 'mac'>({
  name: 'thingyReading',
  description: 'A Nordic Thingy:52 (custom firmware) reading, as the legacy BLE gateway published it.',
  template: '{gatewayId}/{mac}/update',
  schema: thingyReadingSchema,
});
