import { type Flow, type ReloadReport, RouterError } from '@iotgw/flow-router';
import type { FastifyInstance } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { ApiError } from '../api-error.js';
import { type ApiServices, iso, type RouteOptions } from '../api-services.js';
import { readErrors, reloadReportSchema, writeErrors } from '../schemas/common-schemas.js';
import {
  codeParams,
  flowCreateBody,
  flowDeleteQuery,
  flowDeleteResponse,
  flowListQuery,
  flowSchema,
  flowUpdateBody,
  flowWriteResponse,
} from '../schemas/flow-schemas.js';
import { writeRoute } from '../write-route.js';

type CodeParams = FromSchema<typeof codeParams>;

export function presentReload(report: ReloadReport): Omit<ReloadReport, 'at'> & { at: string } {
  return { ...report, at: iso(report.at) };
}

function presentFlow(flow: Flow, counts: { records: number; deadLetters: number } | undefined) {
  return {
    ...flow,
    createdAt: iso(flow.createdAt),
    updatedAt: iso(flow.updatedAt),
    counters: {
      lastMsgId: flow.lastMsgId,
      records: counts?.records ?? 0,
      deadLetters: counts?.deadLetters ?? 0,
    },
  };
}

export async function flowByCode(services: ApiServices, code: string): Promise<Flow> {
  const flow = await services.flows.getByCode(code);
  if (!flow) throw ApiError.notFound(`no flow with code '${code}'`);
  return flow;
}

/** Flows: list with counters, get, create, update, enable/disable, delete, reload. Writes reload the router. */
export async function flowRoutes(
  app: FastifyInstance,
  { services, writeLimit }: RouteOptions,
): Promise<void> {
  const write = writeRoute(writeLimit);
  const withCounts = async (flow: Flow) =>
    presentFlow(flow, (await services.flowCounts([flow.id])).get(flow.id));
  const written = async (flow: Flow) => ({
    flow: await withCounts(flow),
    reload: presentReload(await services.router.reload()),
  });

  app.get<{ Querystring: FromSchema<typeof flowListQuery> }>(
    '/api/flows',
    {
      schema: {
        tags: ['flows'],
        summary: 'List flows with their counters',
        querystring: flowListQuery,
        response: {
          200: {
            type: 'object',
            required: ['flows'],
            properties: { flows: { type: 'array', items: flowSchema } },
          },
          ...readErrors,
        },
      },
    },
    async (request) => {
      const enabled = request.query.enabled;
      const flows = await services.flows.list(enabled === undefined ? {} : { enabled });
      const counts = await services.flowCounts();
      return { flows: flows.map((f) => presentFlow(f, counts.get(f.id))) };
    },
  );

  app.get<{ Params: CodeParams }>(
    '/api/flows/:code',
    {
      schema: {
        tags: ['flows'],
        summary: 'One flow with its counters',
        params: codeParams,
        response: { 200: flowSchema, ...readErrors },
      },
    },
    async (request) => withCounts(await flowByCode(services, request.params.code)),
  );

  app.post<{ Body: FromSchema<typeof flowCreateBody> }>(
    '/api/flows',
    {
      ...write,
      schema: {
        tags: ['flows'],
        summary: 'Create a flow (validated, then the router reloads)',
        body: flowCreateBody,
        response: { 201: flowWriteResponse, ...writeErrors },
      },
    },
    async (request, reply) => {
      const flow = await services.flows.create(request.body);
      return reply.code(201).send(await written(flow));
    },
  );

  app.put<{ Params: CodeParams; Body: FromSchema<typeof flowUpdateBody> }>(
    '/api/flows/:code',
    {
      ...write,
      schema: {
        tags: ['flows'],
        summary: 'Change a flow: the fields given (validated as a whole), then the router reloads',
        params: codeParams,
        body: flowUpdateBody,
        response: { 200: flowWriteResponse, ...writeErrors },
      },
    },
    async (request) => {
      const current = await flowByCode(services, request.params.code);
      if (request.body.code !== undefined && request.body.code !== current.code) {
        // Dead letters and queued POSTs name the flow by its code: a new code is a new flow.
        throw ApiError.validation([
          {
            in: 'body',
            path: '$.code',
            message: `cannot be changed (dead letters and queued POSTs name the flow by it): create a flow '${request.body.code}' and delete '${current.code}' instead`,
          },
        ]);
      }
      return written(await services.flows.update(current.id, request.body));
    },
  );

  for (const [verb, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    app.post<{ Params: CodeParams }>(
      `/api/flows/:code/${verb}`,
      {
        ...write,
        schema: {
          tags: ['flows'],
          summary: `${verb === 'enable' ? 'Enable' : 'Disable'} a flow, then reload`,
          params: codeParams,
          response: { 200: flowWriteResponse, ...writeErrors },
        },
      },
      async (request) => {
        const current = await flowByCode(services, request.params.code);
        return written(await services.flows.setEnabled(current.id, enabled));
      },
    );
  }

  app.delete<{ Params: CodeParams; Querystring: FromSchema<typeof flowDeleteQuery> }>(
    '/api/flows/:code',
    {
      ...write,
      schema: {
        tags: ['flows'],
        summary: 'Delete a flow (with cascade=true also its records and queued POSTs), then reload',
        params: codeParams,
        querystring: flowDeleteQuery,
        response: { 200: flowDeleteResponse, ...writeErrors },
      },
    },
    async (request) => {
      const current = await flowByCode(services, request.params.code);
      const cascade = request.query.cascade === true;
      const deleted = await services.flows.delete(current.id, { cascade }).catch((err: unknown) => {
        if (err instanceof RouterError && err.code === 'ROUTER_ERR_HAS_DATA') {
          throw new ApiError(
            409,
            'has_data',
            `flow '${current.code}' has stored records or queued POSTs; to delete them with it: DELETE /api/flows/${encodeURIComponent(current.code)}?cascade=true`,
          );
        }
        throw err;
      });
      if (!deleted) throw ApiError.notFound(`no flow with code '${request.params.code}'`);
      return { deleted, code: current.code, reload: presentReload(await services.router.reload()) };
    },
  );

  app.post(
    '/api/flows/reload',
    {
      ...write,
      schema: {
        tags: ['flows'],
        summary: 'Reload the enabled flows now and report what changed',
        response: { 200: reloadReportSchema, ...writeErrors },
      },
    },
    async () => presentReload(await services.router.reload()),
  );
}
