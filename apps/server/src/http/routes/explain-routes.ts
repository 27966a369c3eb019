import type { FastifyInstance } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { ApiError } from '../api-error.js';
import type { RouteOptions } from '../api-services.js';
import { readErrors } from '../schemas/common-schemas.js';
import { explainBody, explainResponse } from '../schemas/explain-schemas.js';

/** `POST /api/explain`: what the router would do with a message, storing nothing (read tokens may ask). */
export async function explainRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  app.post<{ Body: FromSchema<typeof explainBody> }>(
    '/api/explain',
    {
      config: { access: 'read' },
      schema: {
        tags: ['flows'],
        summary:
          'A topic and payload → the flows it matches and, per flow, store / post / dead letter and why',
        body: explainBody,
        response: { 200: explainResponse, ...readErrors },
      },
    },
    async (request) => {
      const { topic, payload } = request.body;
      if (/[+#\u0000]/.test(topic)) {
        throw ApiError.validation([
          { in: 'body', path: '$.topic', message: 'must be a topic name (no wildcards + or #, no NUL)' },
        ]);
      }
      const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
      return { topic, flows: services.router.explain(topic, text) };
    },
  );
}
