import { Readable } from 'node:stream';
import type { DataRecord, RecordQueryOptions } from '@iotgw/flow-router';
import type { FastifyInstance } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { ApiError, type ApiProblem } from '../api-error.js';
import { iso, type RouteOptions } from '../api-services.js';
import { csvLine } from '../csv.js';
import { readErrors } from '../schemas/common-schemas.js';
import { recordCsvQuery, recordPageSchema, recordQuery } from '../schemas/record-schemas.js';
import { flowByCode } from './flow-routes.js';

type RangeQuery = FromSchema<typeof recordCsvQuery>;

const CSV_PAGE = 5_000;

/** `2026-06-04T10:00:00Z` or `1780567200000` → ms; a problem naming the parameter otherwise. */
export function parseTime(value: string, name: string): number | ApiProblem {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isSafeInteger(ms) || ms < 0) {
    return {
      in: 'querystring',
      path: `$.${name}`,
      message: 'must be an ISO-8601 time or milliseconds since the epoch',
    };
  }
  return ms;
}

function range(query: RangeQuery): Pick<RecordQueryOptions, 'field' | 'from' | 'to'> {
  const problems: ApiProblem[] = [];
  const out: { field?: string; from?: number; to?: number } = {};
  if (query.field !== undefined) out.field = query.field;
  for (const name of ['from', 'to'] as const) {
    const raw = query[name];
    if (raw === undefined) continue;
    const t = parseTime(raw, name);
    if (typeof t === 'number') out[name] = t;
    else problems.push(t);
  }
  if (problems.length > 0) throw ApiError.validation(problems);
  return out;
}

function present(r: DataRecord) {
  return {
    msgId: r.msgId,
    field: r.field,
    type: r.type,
    value: r.value,
    topic: r.topic,
    receivedAt: iso(r.receivedAt),
  };
}

/** Records by flow, field and time range: pages with a cursor, or a CSV stream of the whole range. */
export async function recordRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  app.get<{ Querystring: FromSchema<typeof recordQuery> }>(
    '/api/records',
    {
      schema: {
        tags: ['records'],
        summary: 'Stored records of a flow (one field over time, or whole messages), paginated',
        querystring: recordQuery,
        response: { 200: recordPageSchema, ...readErrors },
      },
    },
    async (request) => {
      const q = request.query;
      const flow = await flowByCode(services, q.flow);
      const page = await services.records.query({
        flowId: flow.id,
        ...range(q),
        ...(q.limit !== undefined ? { limit: q.limit } : {}),
        ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
      });
      return { flow: flow.code, records: page.records.map(present), nextCursor: page.nextCursor };
    },
  );

  app.get<{ Querystring: RangeQuery }>(
    '/api/records.csv',
    {
      schema: {
        tags: ['records'],
        summary: 'The same records as CSV (flow,msg_id,field,type,value,topic,received_at), streamed',
        querystring: recordCsvQuery,
        produces: ['text/csv'],
        response: {
          200: {
            description: 'RFC 4180 CSV with a header line',
            content: { 'text/csv': { schema: { type: 'string' } } },
          },
          ...readErrors,
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const flow = await flowByCode(services, q.flow);
      const base = { flowId: flow.id, ...range(q), limit: CSV_PAGE };
      // The first page is read before the response starts, so that a database error is still a 503.
      const first = await services.records.query(base);
      const log = request.log;
      async function* lines(): AsyncGenerator<string> {
        yield csvLine(['flow', 'msg_id', 'field', 'type', 'value', 'topic', 'received_at']);
        let page = first;
        for (;;) {
          let chunk = '';
          for (const r of page.records) {
            chunk += csvLine([flow.code, r.msgId, r.field, r.type, r.value, r.topic, iso(r.receivedAt)]);
          }
          if (chunk) yield chunk;
          if (page.nextCursor === null) return;
          try {
            page = await services.records.query({ ...base, cursor: page.nextCursor });
          } catch (err) {
            log.error({ err, flow: flow.code }, 'CSV export failed midway; the response is cut short');
            throw err;
          }
        }
      }
      const name = flow.code.replace(/[^A-Za-z0-9._-]/g, '_');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}.csv"`)
        .send(Readable.from(lines()));
    },
  );
}
