export const explainBody = {
  type: 'object',
  required: ['topic', 'payload'],
  additionalProperties: false,
  properties: {
    topic: { type: 'string', minLength: 1, maxLength: 65_535, description: 'an MQTT topic name' },
    payload: {
      description: 'the message: a string is taken as the payload bytes (UTF-8), anything else as JSON',
    },
  },
} as const;

export const explainResponse = {
  type: 'object',
  required: ['topic', 'flows'],
  properties: {
    topic: { type: 'string' },
    flows: {
      type: 'array',
      description: 'one verdict per matching enabled flow; empty: no flow matches (unmatched)',
      items: {
        type: 'object',
        required: ['flowId', 'code', 'outcome'],
        properties: {
          flowId: { type: 'integer' },
          code: { type: 'string' },
          outcome: { type: 'string', enum: ['store', 'post', 'dead_letter'] },
          fields: { type: 'integer', description: 'store: records it would write' },
          url: { type: 'string', description: 'post: where' },
          reasonCode: { type: 'string', description: 'dead_letter: stable reason code' },
          reason: { type: 'string' },
          jsonPath: { type: ['string', 'null'], description: 'dead_letter: the payload value at fault' },
        },
      },
    },
  },
} as const;
