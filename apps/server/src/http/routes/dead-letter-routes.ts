import type { DeadLetter } from '@iotgw/flow-router';
import type { FastifyInstance } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import type { ApiRole } from '../../auth/api-tokens.js';
import { ApiError } from '../api-error.js';
import { iso, type RouteOptions } from '../api-services.js';
import { idParams, readErrors, writeErrors } from '../schemas/common-schemas.js';
import {
  deadLetterPageSchema,
  deadLetterQuery,
  deadLetterSchema,
  idsBody,
  redriveReportSchema,
} from '../schemas/dead-letter-schemas.js';
import { writeRoute } from '../write-route.js';
import { flowByCode } from './flow-routes.js';

type IdParams = FromSchema<typeof idParams>;
type IdsBody = FromSchema<typeof idsBody>;

/** JSON.parse messages quote the start of the text they refused (`"…" is not valid JSON`). */
const QUOTED = /"(?:[^"\\]|\\.)*"/g;

/**
 * A dead letter as the API shows it. Payloads can hold secrets (a provisioning list carries AES keys):
 * only admin tokens see the payload, its user properties and the payload snippet a JSON error quotes;
 * read tokens get the metadata with `payloadHidden: true`.
 */
export function presentDeadLetter(d: DeadLetter, role: ApiRole) {
  const times = { receivedAt: iso(d.receivedAt), createdAt: iso(d.createdAt) };
  if (role === 'admin') return { ...d, ...times, payloadHidden: false };
  return {
    ...d,
    ...times,
    payloadText: null,
    payloadBase64: null,
    userProperties: null,
    reason: d.reasonCode === 'PAYLOAD_ERR_JSON' ? d.reason.replace(QUOTED, '"…"') : d.reason,
    payloadHidden: true,
  };
}

/** Dead letters: list with reasons, one, re-drive one or many through the router, delete one or many. */
export async function deadLetterRoutes(
  app: FastifyInstance,
  { services, writeLimit }: RouteOptions,
): Promise<void> {
  const write = writeRoute(writeLimit);

  app.get<{ Querystring: FromSchema<typeof deadLetterQuery> }>(
    '/api/dead-letters',
    {
      schema: {
        tags: ['dead letters'],
        summary:
          'Dead letters, newest first, with the reason and the failing JSON path (payloads for admin tokens only)',
        querystring: deadLetterQuery,
        response: { 200: deadLetterPageSchema, ...readErrors },
      },
    },
    async (request) => {
      const q = request.query;
      const flowId = q.flow === undefined ? undefined : (await flowByCode(services, q.flow)).id;
      const page = await services.deadLetters.list({
        ...(flowId !== undefined ? { flowId } : {}),
        ...(q.reason !== undefined ? { reasonCode: q.reason } : {}),
        ...(q.limit !== undefined ? { limit: q.limit } : {}),
        ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
      });
      return {
        deadLetters: page.items.map((d) => presentDeadLetter(d, request.tokenRole)),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get<{ Params: IdParams }>(
    '/api/dead-letters/:id',
    {
      schema: {
        tags: ['dead letters'],
        summary: 'One dead letter (its payload for admin tokens only; read tokens get the metadata)',
        params: idParams,
        response: { 200: deadLetterSchema, ...readErrors },
      },
    },
    async (request) => {
      const d = await services.deadLetters.get(request.params.id);
      if (!d) throw ApiError.notFound(`no dead letter ${request.params.id}`);
      return presentDeadLetter(d, request.tokenRole);
    },
  );

  app.post<{ Body: IdsBody }>(
    '/api/dead-letters/redrive',
    {
      ...write,
      schema: {
        tags: ['dead letters'],
        summary: 'Send dead letters through their (fixed) flow again; one result per id',
        body: idsBody,
        response: { 200: redriveReportSchema, ...writeErrors },
      },
    },
    async (request) => services.router.redrive(request.body.ids),
  );

  app.delete<{ Params: IdParams }>(
    '/api/dead-letters/:id',
    {
      ...write,
      schema: {
        tags: ['dead letters'],
        summary: 'Delete one dead letter',
        params: idParams,
        response: { 204: { type: 'null', description: 'deleted' }, ...writeErrors },
      },
    },
    async (request, reply) => {
      const n = await services.deadLetters.delete([request.params.id]);
      if (n === 0) throw ApiError.notFound(`no dead letter ${request.params.id}`);
      return reply.code(204).send();
    },
  );

  app.delete<{ Body: IdsBody }>(
    '/api/dead-letters',
    {
      ...write,
      schema: {
        tags: ['dead letters'],
        summary: 'Delete several dead letters',
        body: idsBody,
        response: {
          200: { type: 'object', required: ['deleted'], properties: { deleted: { type: 'integer' } } },
          ...writeErrors,
        },
      },
    },
    async (request) => ({ deleted: await services.deadLetters.delete(request.body.ids) }),
  );
}
