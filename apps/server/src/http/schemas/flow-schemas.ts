import { dateTime, reloadReportSchema } from './common-schemas.js';

export const flowCode = { type: 'string', minLength: 1, maxLength: 100 } as const;

export const codeParams = {
  type: 'object',
  required: ['code'],
  additionalProperties: false,
  properties: { code: flowCode },
} as const;

const nullableText = (maxLength: number) => ({ type: ['string', 'null'], maxLength }) as const;

const payloadSchemaProperty = {
  description:
    'null (any JSON object), the legacy form {"field": "number"} (types string/str, number/float, int/integer, bool/boolean, object, array; every field required) or a JSON Schema',
} as const;

const flowProperties = {
  code: flowCode,
  description: nullableText(1000),
  topic: { type: 'string', minLength: 1, maxLength: 1024, description: 'MQTT topic filter; + and # allowed' },
  payloadSchema: payloadSchemaProperty,
  action: { type: 'string', enum: ['STORE_DB', 'POST_ENDPOINT'] },
  endpointUrl: nullableText(2048),
  enabled: { type: 'boolean' },
} as const;

export const flowCreateBody = {
  type: 'object',
  required: ['code', 'topic', 'action'],
  additionalProperties: false,
  properties: flowProperties,
} as const;

/** PUT changes the fields given; the flow as a whole is validated again. */
export const flowUpdateBody = {
  type: 'object',
  minProperties: 1,
  additionalProperties: false,
  properties: flowProperties,
} as const;

export const flowListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { enabled: { type: 'boolean', description: 'only enabled (true) or disabled (false) flows' } },
} as const;

export const flowDeleteQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    cascade: {
      type: 'boolean',
      default: false,
      description: 'also delete its stored records and queued POSTs (refused with 409 has_data otherwise)',
    },
  },
} as const;

export const flowSchema = {
  type: 'object',
  required: [
    'id',
    'code',
    'topic',
    'action',
    'enabled',
    'lastMsgId',
    'version',
    'createdAt',
    'updatedAt',
    'counters',
  ],
  properties: {
    id: { type: 'integer' },
    code: { type: 'string' },
    description: { type: ['string', 'null'] },
    topic: { type: 'string' },
    payloadSchema: payloadSchemaProperty,
    action: { type: 'string' },
    endpointUrl: { type: ['string', 'null'] },
    enabled: { type: 'boolean' },
    lastMsgId: { type: 'integer', description: 'msg id of the last message stored or queued' },
    version: { type: 'integer' },
    createdAt: dateTime,
    updatedAt: dateTime,
    counters: {
      type: 'object',
      required: ['lastMsgId', 'records', 'deadLetters'],
      properties: {
        lastMsgId: { type: 'integer' },
        records: { type: 'integer', description: 'data records stored (one per payload field)' },
        deadLetters: { type: 'integer' },
      },
    },
  },
} as const;

export const flowWriteResponse = {
  type: 'object',
  required: ['flow', 'reload'],
  properties: { flow: flowSchema, reload: reloadReportSchema },
} as const;

export const flowDeleteResponse = {
  type: 'object',
  required: ['deleted', 'code', 'reload'],
  properties: { deleted: { type: 'boolean' }, code: { type: 'string' }, reload: reloadReportSchema },
} as const;
