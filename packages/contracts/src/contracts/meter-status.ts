import type { FromSchema } from 'json-schema-to-ts';
import { defineContract } from '../topic-contract.js';
import { timestampSchema } from './common-schemas.js';

/**
 * Per-meter state, as the legacy gateway could never report it:
 * - `invalid`: the provisioning entry was refused (`reason` says why);
 * - `never_heard`: accepted, no telegram from it yet;
 * - `wrong_key`: telegrams arrive but the key does not decrypt them;
 * - `not_encrypted`: a key is configured but the meter sent a plaintext telegram (refused);
 * - `undecodable`: decrypted, but no driver could read it (`reason` says why);
 * - `ok`: readings flow; `lastSeen` and `rssi_dbm` tell when and how well.
 */
export const meterStates = [
  'invalid',
  'never_heard',
  'wrong_key',
  'not_encrypted',
  'undecodable',
  'ok',
] as const;

export const meterStatusSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['timestamp', 'meters'],
  properties: {
    timestamp: timestampSchema,
    command: {
      type: 'object',
      additionalProperties: false,
      required: ['timestamp', 'ok'],
      description: 'the last provisioning message: accepted, or refused as a whole and why',
      properties: { timestamp: timestampSchema, ok: { type: 'boolean' }, error: { type: 'string' } },
    },
    meters: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['deviceId', 'status'],
        properties: {
          deviceId: { type: 'string' },
          manufacturerKey: { type: 'string' },
          manufacturerDeviceKey: { type: 'string' },
          index: { type: 'integer', minimum: 0, description: 'position in the provisioning message' },
          status: { type: 'string', enum: meterStates },
          reason: { type: 'string' },
          driver: { type: 'string' },
          lastSeen: timestampSchema,
          rssi_dbm: { type: 'number' },
          telegrams: { type: 'integer', minimum: 0 },
        },
      },
    },
  },
} as const;

export type MeterStatusReport = FromSchema<typeof meterStatusSchema>;
export type MeterStatus = MeterStatusReport['meters'][number];
export type MeterState = (typeof meterStates)[number];

export const meterStatus = defineContract<MeterStatusReport, 'gatewayId'>({
  name: 'meterStatus',
  description: 'Status of every monitored meter, republished when it changes (retained).',
  template: 'v2/{gatewayId}/status/meters',
  schema: meterStatusSchema,
  retain: true,
});
