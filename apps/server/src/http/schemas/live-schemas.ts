import { LIVE_RING_SIZE } from '../../live/live-feed.js';
import { errorSchema } from './common-schemas.js';
import { flowCode } from './flow-schemas.js';

export const liveQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    flow: { ...flowCode, description: 'only readings of this flow (code)' },
    gateway: { type: 'string', minLength: 1, maxLength: 128, description: 'only readings of this gateway' },
    device: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      description: 'only readings of this device (BLE address or MAC, or meter id)',
    },
    replay: {
      type: 'integer',
      minimum: 0,
      maximum: LIVE_RING_SIZE,
      default: 0,
      description: `first send up to this many of the last ${LIVE_RING_SIZE} readings (before filtering)`,
    },
    lastEventId: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      description: 'resume after this event id (as the Last-Event-ID header, which wins)',
    },
  },
} as const;

export const liveResponses = {
  200: {
    description:
      'text/event-stream; each `reading` event carries {id, flow, msgId, topic, gatewayId, deviceId, kind, receivedAt, values}',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  },
  400: errorSchema,
  401: errorSchema,
  503: errorSchema,
} as const;
