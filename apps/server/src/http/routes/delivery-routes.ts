import type { FastifyInstance } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { iso, type RouteOptions } from '../api-services.js';
import { readErrors } from '../schemas/common-schemas.js';
import { flowByCode } from './flow-routes.js';

const deliveryQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    flow: { type: 'string', minLength: 1, maxLength: 100, description: 'only this flow (its code)' },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  },
} as const;

const deliverySchema = {
  type: 'object',
  required: ['id', 'flow', 'msgId', 'topic', 'endpoint', 'attempts', 'nextAttemptAt', 'createdAt'],
  properties: {
    id: { type: 'integer' },
    flow: { type: 'string' },
    msgId: { type: 'integer' },
    topic: { type: 'string' },
    endpoint: { type: 'string', description: 'the URL without credentials or query string' },
    attempts: { type: 'integer', description: 'POSTs tried so far' },
    nextAttemptAt: { type: 'string', format: 'date-time', description: 'when the next try is due' },
    lastStatus: { type: ['integer', 'null'] },
    lastError: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

/** The POST_ENDPOINT retry queue: what waits, how often it was tried, when it is tried next. */
export async function deliveryRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  app.get<{ Querystring: FromSchema<typeof deliveryQuery> }>(
    '/api/deliveries',
    {
      schema: {
        tags: ['flows'],
        summary: 'Queued POST_ENDPOINT deliveries, the next due first, with their attempts and next try',
        querystring: deliveryQuery,
        response: {
          200: {
            type: 'object',
            required: ['deliveries'],
            properties: { deliveries: { type: 'array', items: deliverySchema } },
          },
          ...readErrors,
        },
      },
    },
    async (request) => {
      const { flow, limit = 100 } = request.query;
      if (flow !== undefined) await flowByCode(services, flow);
      const rows = await services.deliveries({ flow, limit });
      return {
        deliveries: rows.map((d) => ({
          ...d,
          nextAttemptAt: iso(d.nextAttemptAt),
          createdAt: iso(d.createdAt),
        })),
      };
    },
  );
}
