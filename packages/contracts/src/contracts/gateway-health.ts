import type { FromSchema } from 'json-schema-to-ts';
import { defineContract } from '../topic-contract.js';
import { timestampSchema } from './common-schemas.js';

export const gatewayHealthSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['timestamp', 'version', 'uptime_s', 'counters'],
  properties: {
    timestamp: timestampSchema,
    version: { type: 'string' },
    uptime_s: { type: 'number', minimum: 0 },
    /** `not-ok` when the broker has been unreachable, or the outbox head stuck, for too long. */
    status: { enum: ['ok', 'not-ok'] },
    problems: { type: 'array', items: { type: 'string' } },
    counters: { type: 'object', additionalProperties: { type: 'number' } },
    outbox: {
      type: 'object',
      additionalProperties: false,
      required: ['depth', 'oldest_age_s', 'sent', 'dropped'],
      properties: {
        depth: { type: 'integer', minimum: 0 },
        oldest_age_s: { type: 'number', minimum: 0 },
        sent: { type: 'integer', minimum: 0 },
        dropped: { type: 'integer', minimum: 0 },
        /** Readings the broker accepted that wait for the server's receipt (edge `mqtt.receipts`). */
        unreceipted: { type: 'integer', minimum: 0 },
        oldest_unreceipted_age_s: { type: 'number', minimum: 0 },
      },
    },
  },
} as const;

export type GatewayHealth = FromSchema<typeof gatewayHealthSchema>;

export const gatewayHealth = defineContract<GatewayHealth, 'gatewayId'>({
  name: 'gatewayHealth',
  description: 'Periodic health of a gateway: counters and outbox state (retained).',
  template: 'v2/{gatewayId}/status/health',
  schema: gatewayHealthSchema,
  retain: true,
});
