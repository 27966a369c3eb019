import type { FromSchema } from 'json-schema-to-ts';
import { defineContract } from '../topic-contract.js';

/** Outboxes named in one receipt at most, and seq ranges per outbox at most (a bigger set is split). */
export const MAX_RECEIPT_OUTBOXES = 16;
export const MAX_RECEIPT_RANGES = 512;

/**
 * What the server has made durable of a gateway's messages: per edge outbox (the part of the
 * `iotgw-msg-id` before the last `:`), the outbox sequence numbers as inclusive ranges `[from, to]`.
 */
export const gatewayReceiptSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['outboxes'],
  properties: {
    outboxes: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_RECEIPT_OUTBOXES,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['outbox', 'ranges'],
        properties: {
          outbox: { type: 'string', minLength: 1, maxLength: 128 },
          ranges: {
            type: 'array',
            minItems: 1,
            maxItems: MAX_RECEIPT_RANGES,
            items: {
              type: 'array',
              minItems: 2,
              maxItems: 2,
              items: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
            },
          },
        },
      },
    },
  },
} as const;

export type GatewayReceipt = FromSchema<typeof gatewayReceiptSchema>;

export const gatewayReceipt = defineContract<GatewayReceipt, 'gatewayId'>({
  name: 'gatewayReceipt',
  description:
    'From the server to one gateway: the outbox sequence numbers of its messages now durable on the server.',
  template: 'v2/{gatewayId}/receipts',
  schema: gatewayReceiptSchema,
});
