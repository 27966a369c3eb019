import type { MqttServer } from '@iotgw/flow-router';
import type { FastifyInstance } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { type SecretRefPolicy, secretRefProblem } from '../../config/secret-ref-policy.js';
import { ApiError } from '../api-error.js';
import { iso, type RouteOptions } from '../api-services.js';
import { idParams, readErrors, writeErrors } from '../schemas/common-schemas.js';
import {
  mqttServerCreateBody,
  mqttServerSchema,
  mqttServerUpdateBody,
} from '../schemas/mqtt-server-schemas.js';
import { writeRoute } from '../write-route.js';

type IdParams = FromSchema<typeof idParams>;

function present(s: MqttServer) {
  return { ...s, createdAt: iso(s.createdAt), updatedAt: iso(s.updatedAt) };
}

/** Refuses a passwordRef the policy does not allow (400, `$.passwordRef`, naming the rule). */
function checkPasswordRef(ref: string | null | undefined, policy: SecretRefPolicy): void {
  if (ref === null || ref === undefined) return;
  const problem = secretRefProblem(ref, policy);
  if (problem) throw ApiError.validation([{ in: 'body', path: '$.passwordRef', message: problem }]);
}

/**
 * MQTT servers (CRUD). Passwords are references only (env:NAME, file:/path); a body with `password` is
 * refused, and so is a reference the secret-ref policy does not allow (env names outside the allow-list,
 * files outside the secrets directory). The running server keeps the broker it connected to: a change applies at the next start.
 */
export async function mqttServerRoutes(
  app: FastifyInstance,
  { services, writeLimit, secretRefs }: RouteOptions,
): Promise<void> {
  const write = writeRoute(writeLimit);
  const tags = ['mqtt servers'];

  app.get(
    '/api/mqtt-servers',
    {
      schema: {
        tags,
        summary: 'MQTT servers (the first enabled one, default first, is used when MQTT_URL is not set)',
        response: {
          200: {
            type: 'object',
            required: ['servers'],
            properties: { servers: { type: 'array', items: mqttServerSchema } },
          },
          ...readErrors,
        },
      },
    },
    async () => ({ servers: (await services.mqttServers.list()).map(present) }),
  );

  app.get<{ Params: IdParams }>(
    '/api/mqtt-servers/:id',
    {
      schema: {
        tags,
        summary: 'One MQTT server',
        params: idParams,
        response: { 200: mqttServerSchema, ...readErrors },
      },
    },
    async (request) => {
      const s = await services.mqttServers.get(request.params.id);
      if (!s) throw ApiError.notFound(`no MQTT server ${request.params.id}`);
      return present(s);
    },
  );

  app.post<{ Body: FromSchema<typeof mqttServerCreateBody> }>(
    '/api/mqtt-servers',
    {
      ...write,
      schema: {
        tags,
        summary: 'Add an MQTT server',
        body: mqttServerCreateBody,
        response: { 201: mqttServerSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      checkPasswordRef(request.body.passwordRef, secretRefs);
      return reply.code(201).send(present(await services.mqttServers.create(request.body)));
    },
  );

  app.put<{ Params: IdParams; Body: FromSchema<typeof mqttServerUpdateBody> }>(
    '/api/mqtt-servers/:id',
    {
      ...write,
      schema: {
        tags,
        summary: 'Change an MQTT server (the fields given)',
        params: idParams,
        body: mqttServerUpdateBody,
        response: { 200: mqttServerSchema, ...writeErrors },
      },
    },
    async (request) => {
      checkPasswordRef(request.body.passwordRef, secretRefs);
      return present(await services.mqttServers.update(request.params.id, request.body));
    },
  );

  app.delete<{ Params: IdParams }>(
    '/api/mqtt-servers/:id',
    {
      ...write,
      schema: {
        tags,
        summary: 'Delete an MQTT server',
        params: idParams,
        response: { 204: { type: 'null', description: 'deleted' }, ...writeErrors },
      },
    },
    async (request, reply) => {
      if (!(await services.mqttServers.delete(request.params.id))) {
        throw ApiError.notFound(`no MQTT server ${request.params.id}`);
      }
      return reply.code(204).send();
    },
  );
}
