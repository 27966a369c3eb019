import { meterProvisioning, meterProvisioningProblems } from '@iotgw/contracts';
import type { FastifyInstance } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import type { GatewayState } from '../../gateways/gateway-directory.js';
import { ApiError } from '../api-error.js';
import { iso, type RouteOptions } from '../api-services.js';
import { readErrors, writeErrors } from '../schemas/common-schemas.js';
import {
  gatewayPageSchema,
  gatewayParams,
  gatewayQuery,
  gatewaySchema,
  meterReportSchema,
  provisioningApplied,
  provisioningBody,
  provisioningPending,
} from '../schemas/gateway-schemas.js';
import { writeRoute } from '../write-route.js';

type GatewayParams = FromSchema<typeof gatewayParams>;

/** Opaque cursors like the other lists': base64url JSON `["gateways", lastId]`. */
function encodeGatewayCursor(after: string): string {
  return Buffer.from(JSON.stringify(['gateways', after]), 'utf8').toString('base64url');
}

function decodeGatewayCursor(cursor: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    parsed[0] !== 'gateways' ||
    typeof parsed[1] !== 'string'
  ) {
    const message = 'the cursor is not one this API returned';
    throw ApiError.validation([{ in: 'querystring', path: '$.cursor', message }]);
  }
  return parsed[1];
}

function presentGateway(g: GatewayState) {
  const byStatus: Record<string, number> = {};
  for (const m of g.meters?.value.meters ?? []) byStatus[m.status] = (byStatus[m.status] ?? 0) + 1;
  return {
    gatewayId: g.gatewayId,
    availability: g.availability?.value ?? null,
    availabilityAt: g.availability ? iso(g.availability.receivedAt) : null,
    health: g.health?.value ?? null,
    healthAt: g.health ? iso(g.health.receivedAt) : null,
    meters: g.meters ? { total: g.meters.value.meters.length, byStatus } : null,
    metersAt: g.meters ? iso(g.meters.receivedAt) : null,
    command: g.meters?.value.command ?? null,
  };
}

/**
 * Gateways as their retained status topics describe them, and meter provisioning. The PUT body holds
 * AES keys: it is never logged and never echoed (answers carry the edge's meter status, which has none).
 */
export async function gatewayRoutes(
  app: FastifyInstance,
  { services, writeLimit }: RouteOptions,
): Promise<void> {
  const tags = ['gateways'];
  const gateway = (id: string) => {
    const g = services.gateways.get(id);
    if (!g) throw ApiError.notFound(`gateway '${id}' has not been seen on its status topics`);
    return g;
  };

  app.get<{ Querystring: FromSchema<typeof gatewayQuery> }>(
    '/api/gateways',
    {
      schema: {
        tags,
        summary:
          'Gateways seen on v2/+/status/availability|health|meters, with their latest status, by id, paginated',
        querystring: gatewayQuery,
        response: { 200: gatewayPageSchema, ...readErrors },
      },
    },
    async (request) => {
      const after =
        request.query.cursor === undefined ? undefined : decodeGatewayCursor(request.query.cursor);
      const page = services.gateways.page(after, request.query.limit ?? 100);
      return {
        gateways: page.items.map(presentGateway),
        nextCursor: page.nextAfter === null ? null : encodeGatewayCursor(page.nextAfter),
      };
    },
  );

  app.get<{ Params: GatewayParams }>(
    '/api/gateways/:gatewayId',
    {
      schema: {
        tags,
        summary: 'One gateway',
        params: gatewayParams,
        response: { 200: gatewaySchema, ...readErrors },
      },
    },
    async (request) => presentGateway(gateway(request.params.gatewayId)),
  );

  app.get<{ Params: GatewayParams }>(
    '/api/gateways/:gatewayId/meters',
    {
      schema: {
        tags,
        summary:
          'The gateway’s latest meter status report (per-meter state and the last provisioning outcome)',
        params: gatewayParams,
        response: { 200: meterReportSchema, ...readErrors },
      },
    },
    async (request) => {
      const g = gateway(request.params.gatewayId);
      return {
        gatewayId: g.gatewayId,
        receivedAt: g.meters ? iso(g.meters.receivedAt) : null,
        report: g.meters?.value ?? null,
      };
    },
  );

  app.put<{ Params: GatewayParams; Body: FromSchema<typeof provisioningBody> }>(
    '/api/gateways/:gatewayId/meters',
    {
      ...writeRoute(writeLimit),
      schema: {
        tags,
        summary:
          'Replace the meters a gateway monitors (with their keys); answers with the edge’s per-meter status',
        params: gatewayParams,
        body: provisioningBody,
        response: { 200: provisioningApplied, 202: provisioningPending, ...writeErrors },
      },
    },
    async (request, reply) => {
      const gatewayId = request.params.gatewayId;
      const problem = meterProvisioning.paramProblem('gatewayId', gatewayId);
      if (problem) throw ApiError.validation([{ in: 'params', path: '$.gatewayId', message: problem }]);
      const parsed = meterProvisioning.validate(request.body);
      if (!parsed.ok) {
        throw ApiError.validation(
          parsed.error.problems.map((p) => {
            const space = p.indexOf(' ');
            return { in: 'body', path: p.slice(0, space), message: p.slice(space + 1) };
          }),
        );
      }
      // What the gateway would refuse entry by entry is refused here, before anything is published.
      const broken = meterProvisioningProblems(parsed.value);
      if (broken.length) throw ApiError.validation(broken.map((p) => ({ in: 'body', ...p })));
      const result = await services.provisioner.provision(gatewayId, parsed.value);
      services.metrics.provisioning(result.status);
      request.log.info(
        { gatewayId, meters: parsed.value.length, outcome: result.status, tokenId: request.tokenId },
        'meter list provisioned',
      );
      if (result.status === 'pending') {
        const location = `/api/gateways/${encodeURIComponent(gatewayId)}/meters`;
        return reply
          .code(202)
          .header('location', location)
          .send({ gatewayId, status: 'pending', requestedAt: iso(result.requestedAt), location });
      }
      return {
        gatewayId,
        status: result.status,
        requestedAt: iso(result.requestedAt),
        command: result.report.command,
        meters: result.report.meters,
      };
    },
  );
}
