import { dateTime, idList, pageQuery } from './common-schemas.js';
import { flowCode } from './flow-schemas.js';

export const deadLetterQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    flow: { ...flowCode, description: 'only this flow (by code)' },
    reason: { type: 'string', minLength: 1, maxLength: 40, description: 'only this reason code' },
    ...pageQuery(1_000),
  },
} as const;

export const deadLetterSchema = {
  type: 'object',
  required: [
    'id',
    'flowId',
    'flowCode',
    'topic',
    'payloadText',
    'payloadBase64',
    'reasonCode',
    'reason',
    'jsonPath',
    'payloadHidden',
    'receivedAt',
    'createdAt',
  ],
  properties: {
    id: { type: 'integer' },
    flowId: { type: ['integer', 'null'] },
    flowCode: { type: ['string', 'null'] },
    topic: { type: 'string' },
    payloadText: {
      type: ['string', 'null'],
      description: 'the payload when it is UTF-8 text (null for read tokens: payloadHidden)',
    },
    payloadBase64: {
      type: ['string', 'null'],
      description: 'the payload bytes (null for read tokens: payloadHidden)',
    },
    payloadHidden: {
      type: 'boolean',
      description:
        'true when the token may not see payloads (role read): payloadText, payloadBase64 and userProperties are null',
    },
    reasonCode: { type: 'string', description: 'stable code, e.g. PAYLOAD_ERR_SCHEMA' },
    reason: { type: 'string' },
    jsonPath: { type: ['string', 'null'], description: 'where the payload broke its schema' },
    msgKey: { type: ['string', 'null'] },
    userProperties: {
      type: ['object', 'null'],
      additionalProperties: true,
      description: 'MQTT 5 user properties (null for read tokens)',
    },
    receivedAt: dateTime,
    createdAt: dateTime,
  },
} as const;

export const deadLetterPageSchema = {
  type: 'object',
  required: ['deadLetters', 'nextCursor'],
  properties: {
    deadLetters: { type: 'array', items: deadLetterSchema },
    nextCursor: { type: ['string', 'null'] },
  },
} as const;

export const idsBody = {
  type: 'object',
  required: ['ids'],
  additionalProperties: false,
  properties: { ids: idList },
} as const;

export const redriveReportSchema = {
  type: 'object',
  required: ['redriven', 'failed', 'results'],
  properties: {
    redriven: { type: 'integer' },
    failed: { type: 'integer' },
    results: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'status'],
        properties: {
          id: { type: 'integer' },
          status: {
            type: 'string',
            enum: ['stored', 'queued', 'still_invalid', 'not_found', 'flow_missing', 'failed'],
          },
          msgId: { type: 'integer' },
          reason: { type: 'string' },
        },
      },
    },
  },
} as const;
