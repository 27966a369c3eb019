import { meterProvisioningSchema } from '@iotgw/contracts';
import { dateTime, nullableDateTime, pageQuery } from './common-schemas.js';

export const gatewayParams = {
  type: 'object',
  required: ['gatewayId'],
  additionalProperties: false,
  properties: { gatewayId: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[^/+#\\u0000]+$' } },
} as const;

const commandSchema = {
  type: 'object',
  required: ['timestamp', 'ok'],
  description: 'the outcome of the last provisioning message the gateway received',
  properties: { timestamp: { type: 'string' }, ok: { type: 'boolean' }, error: { type: 'string' } },
} as const;

const meterStatusItem = {
  type: 'object',
  additionalProperties: true,
  description:
    'one meter of the meterStatus contract: deviceId, status (ok, never_heard, wrong_key, …), reason, lastSeen, …',
} as const;

export const gatewaySchema = {
  type: 'object',
  required: [
    'gatewayId',
    'availability',
    'availabilityAt',
    'health',
    'healthAt',
    'meters',
    'metersAt',
    'command',
  ],
  properties: {
    gatewayId: { type: 'string' },
    availability: { type: ['string', 'null'], enum: ['online', 'offline', null] },
    availabilityAt: { ...nullableDateTime, description: 'when the server received it' },
    health: {
      type: ['object', 'null'],
      additionalProperties: true,
      description: 'the gatewayHealth payload: version, uptime_s, counters, outbox',
    },
    healthAt: nullableDateTime,
    meters: {
      type: ['object', 'null'],
      required: ['total', 'byStatus'],
      properties: {
        total: { type: 'integer' },
        byStatus: { type: 'object', additionalProperties: { type: 'integer' } },
      },
    },
    metersAt: nullableDateTime,
    command: { ...commandSchema, type: ['object', 'null'] },
  },
} as const;

export const gatewayQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { ...pageQuery(1_000) },
} as const;

export const gatewayPageSchema = {
  type: 'object',
  required: ['gateways', 'nextCursor'],
  properties: {
    gateways: { type: 'array', items: gatewaySchema },
    nextCursor: {
      type: ['string', 'null'],
      description: 'pass as cursor for the next page; null on the last',
    },
  },
} as const;

export const meterReportSchema = {
  type: 'object',
  required: ['gatewayId', 'receivedAt', 'report'],
  properties: {
    gatewayId: { type: 'string' },
    receivedAt: nullableDateTime,
    report: {
      type: ['object', 'null'],
      description: 'the latest meterStatus payload (retained): timestamp, command, meters',
      properties: {
        timestamp: { type: 'string' },
        command: commandSchema,
        meters: { type: 'array', items: meterStatusItem },
      },
    },
  },
} as const;

/** The provisioning list (meterProvisioning contract); legacy PascalCase keys are accepted. */
export const provisioningBody = { ...meterProvisioningSchema, maxItems: 10_000 } as const;

export const provisioningApplied = {
  type: 'object',
  required: ['gatewayId', 'status', 'requestedAt', 'command', 'meters'],
  description: 'the gateway answered: status applied (command.ok) or refused (command.error says why)',
  properties: {
    gatewayId: { type: 'string' },
    status: { type: 'string', enum: ['applied', 'refused'] },
    requestedAt: dateTime,
    command: commandSchema,
    meters: { type: 'array', items: meterStatusItem },
  },
} as const;

export const provisioningPending = {
  type: 'object',
  required: ['gatewayId', 'status', 'requestedAt', 'location'],
  description: 'no answer yet: poll location until report.command.timestamp is not older than requestedAt',
  properties: {
    gatewayId: { type: 'string' },
    status: { type: 'string', enum: ['pending'] },
    requestedAt: dateTime,
    location: { type: 'string' },
  },
} as const;
