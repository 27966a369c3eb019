import type { FromSchema } from 'json-schema-to-ts';
import { defineContract } from '../topic-contract.js';

export const gatewayAvailabilitySchema = { type: 'string', enum: ['online', 'offline'] } as const;
export type GatewayAvailability = FromSchema<typeof gatewayAvailabilitySchema>;

/**
 * Bare `online` / `offline`, retained. `offline` is the MQTT last will, `online` is published after
 * every connect; Home Assistant's availability topics read it as is.
 */
export const gatewayAvailability = defineContract<GatewayAvailability, 'gatewayId'>({
  name: 'gatewayAvailability',
  description: 'Whether the gateway is connected (retained; offline is the last will).',
  template: 'v2/{gatewayId}/status/availability',
  schema: gatewayAvailabilitySchema,
  encoding: 'text',
  retain: true,
});
