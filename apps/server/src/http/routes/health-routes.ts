import type { FastifyInstance } from 'fastify';
import type { RouteOptions } from '../api-services.js';

const check = {
  type: 'object',
  required: ['ok', 'detail'],
  properties: { ok: { type: 'boolean' }, detail: { type: 'string' } },
} as const;

const readinessSchema = {
  type: 'object',
  required: ['ready', 'notReady', 'checks'],
  properties: {
    ready: { type: 'boolean' },
    notReady: {
      type: 'array',
      items: { type: 'string', enum: ['database', 'migrations', 'broker', 'commits'] },
    },
    checks: {
      type: 'object',
      required: ['database', 'migrations', 'broker', 'commits'],
      properties: { database: check, migrations: check, broker: check, commits: check },
    },
  },
} as const;

/** Probes and metrics: /healthz and /readyz are public (container health checks), /metrics needs `read`. */
export async function healthRoutes(
  app: FastifyInstance,
  { services, version, startedAt }: RouteOptions & { version: string; startedAt: number },
): Promise<void> {
  const quiet = { logLevel: 'warn' as const };
  app.get(
    '/healthz',
    {
      ...quiet,
      config: { access: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'The process is up',
        security: [],
        response: {
          200: {
            type: 'object',
            required: ['status', 'version', 'uptimeSeconds'],
            properties: {
              status: { type: 'string', enum: ['ok'] },
              version: { type: 'string' },
              uptimeSeconds: { type: 'number' },
            },
          },
        },
      },
    },
    async () => ({
      status: 'ok' as const,
      version,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    }),
  );

  app.get(
    '/readyz',
    {
      ...quiet,
      config: { access: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'Ready: database reachable, migrations current, broker connected (503 names what is not)',
        security: [],
        response: { 200: readinessSchema, 503: readinessSchema },
      },
    },
    async (_request, reply) => {
      const report = await services.readiness();
      return reply.code(report.ready ? 200 : 503).send(report);
    },
  );

  app.get(
    '/metrics',
    {
      ...quiet,
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (text exposition format)',
        produces: ['text/plain'],
        response: {
          200: {
            description: 'Prometheus text format',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
    async (_request, reply) => reply.type(services.metrics.contentType).send(await services.metrics.text()),
  );
}
