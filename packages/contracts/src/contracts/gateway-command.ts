import type { FromSchema } from 'json-schema-to-ts';
import { defineContract } from '../topic-contract.js';

/** Commands to one gateway. `stop` replaces the legacy `STOP` topic and only works where enabled. */
export const gatewayCommandSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['command'],
  properties: {
    command: { type: 'string', enum: ['stop', 'publish_status'] },
  },
} as const;

export type GatewayCommand = FromSchema<typeof gatewayCommandSchema>;

export const gatewayCommand = defineContract<GatewayCommand, 'gatewayId'>({
  name: 'gatewayCommand',
  description:
    "Commands to a gateway on its own command topic (disabled unless the gateway's config enables them).",
  template: 'v2/{gatewayId}/command',
  schema: gatewayCommandSchema,
  carriesSecrets: true,
});
