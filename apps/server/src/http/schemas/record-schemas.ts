import { dateTime, pageQuery } from './common-schemas.js';
import { flowCode } from './flow-schemas.js';

const time = {
  type: 'string',
  minLength: 1,
  maxLength: 40,
  description: 'ISO-8601 time (2026-06-04T10:00:00Z) or milliseconds since the epoch',
} as const;

const rangeProperties = {
  flow: { ...flowCode, description: 'flow code' },
  field: { type: 'string', minLength: 1, maxLength: 255, description: 'one payload field over time' },
  from: { ...time, description: `records received at or after this time: ${time.description}` },
  to: { ...time, description: `records received before this time: ${time.description}` },
} as const;

export const recordQuery = {
  type: 'object',
  required: ['flow'],
  additionalProperties: false,
  properties: { ...rangeProperties, ...pageQuery(10_000) },
} as const;

export const recordCsvQuery = {
  type: 'object',
  required: ['flow'],
  additionalProperties: false,
  properties: rangeProperties,
} as const;

export const recordSchema = {
  type: 'object',
  required: ['msgId', 'field', 'type', 'value', 'topic', 'receivedAt'],
  properties: {
    msgId: { type: 'integer', description: 'the flow’s message counter when it was stored' },
    field: { type: 'string' },
    type: { type: 'string', enum: ['number', 'string', 'boolean', 'null', 'json'] },
    value: { description: 'number, string, boolean, null, or the object/array' },
    topic: { type: 'string' },
    receivedAt: dateTime,
  },
} as const;

export const recordPageSchema = {
  type: 'object',
  required: ['flow', 'records', 'nextCursor'],
  properties: {
    flow: { type: 'string' },
    records: { type: 'array', items: recordSchema },
    nextCursor: {
      type: ['string', 'null'],
      description: 'pass as cursor for the next page; null on the last',
    },
  },
} as const;
