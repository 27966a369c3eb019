import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { Logger } from '@iotgw/logger';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ApiTokenStore } from '../auth/api-tokens.js';
import { DEFAULT_SECRET_REF_POLICY, type SecretRefPolicy } from '../config/secret-ref-policy.js';
import type { ApiServices, RouteOptions } from './api-services.js';
import { authenticate } from './authenticate.js';
import { handleApiError } from './error-handler.js';
import { RequestLog } from './request-log.js';
import { acceptEmptyJsonBodies, methodNotAllowed } from './request-shape.js';
import { consoleRoutes } from './routes/console-routes.js';
import { deadLetterRoutes } from './routes/dead-letter-routes.js';
import { deliveryRoutes } from './routes/delivery-routes.js';
import { explainRoutes } from './routes/explain-routes.js';
import { flowRoutes } from './routes/flow-routes.js';
import { gatewayRoutes } from './routes/gateway-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { liveRoutes } from './routes/live-routes.js';
import { mqttServerRoutes } from './routes/mqtt-server-routes.js';
import { recordRoutes } from './routes/record-routes.js';
import { validatorCompiler } from './validator-compiler.js';

export interface AppOptions {
  readonly logger: Logger;
  readonly services: ApiServices;
  readonly tokens: ApiTokenStore;
  readonly version: string;
  /** Largest request body (default 1 MiB). */
  readonly bodyLimitBytes?: number;
  /** Origins allowed by CORS; empty (default) = CORS off. */
  readonly corsOrigins?: readonly string[];
  /** Write requests per client per minute (default 120). */
  readonly writeRateLimitPerMinute?: number;
  /** What `mqtt_servers.passwordRef` may name (default: env `MQTT_*`, files under /run/secrets). */
  readonly secretRefs?: SecretRefPolicy;
  /** The built web console to serve at / (default: @iotgw/console's build). */
  readonly consoleDir?: string;
}

/**
 * The admin HTTP API: every route with JSON Schemas (params, query, body, responses) validated by
 * ajv (bodies strictly, query strings coerced) and documented as OpenAPI 3.1 at /openapi.json; bearer tokens with roles; rate-limited
 * writes; errors as `{ error, message, problems? }` with JSON paths.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger.child({ module: 'http' }),
    bodyLimit: options.bodyLimitBytes ?? 1_048_576,
    logController: new RequestLog(),
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler());
  app.decorateRequest('tokenId', null);
  app.decorateRequest('tokenRole', 'read');
  app.setErrorHandler(handleApiError);
  app.setNotFoundHandler(methodNotAllowed(app));
  acceptEmptyJsonBodies(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'iotgw-server',
        version: options.version,
        description:
          'Flows, MQTT servers, records, dead letters, gateways and meter provisioning. Bearer tokens: `read` may GET, `admin` may do anything.',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'an API token (role read or admin)' },
        },
      },
      security: [{ bearerAuth: [] }],
      tags: [
        { name: 'flows' },
        { name: 'records' },
        { name: 'dead letters' },
        { name: 'mqtt servers' },
        { name: 'gateways' },
        { name: 'operations' },
      ],
    },
  });
  await app.register(rateLimit, {
    global: false,
    keyGenerator: (request) => request.tokenId ?? request.ip,
  });
  const origins = options.corsOrigins ?? [];
  if (origins.length > 0) {
    await app.register(cors, {
      origin: [...origins],
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type'],
      exposedHeaders: ['location'],
    });
  }
  app.addHook('onRequest', authenticate(options.tokens));

  const routeOptions: RouteOptions = {
    services: options.services,
    writeLimit: { max: options.writeRateLimitPerMinute ?? 120, timeWindowMs: 60_000 },
    secretRefs: options.secretRefs ?? DEFAULT_SECRET_REF_POLICY,
  };
  await app.register(healthRoutes, { ...routeOptions, version: options.version, startedAt: Date.now() });
  await app.register(flowRoutes, routeOptions);
  await app.register(recordRoutes, routeOptions);
  await app.register(deadLetterRoutes, routeOptions);
  await app.register(deliveryRoutes, routeOptions);
  await app.register(mqttServerRoutes, routeOptions);
  await app.register(gatewayRoutes, routeOptions);
  await app.register(liveRoutes, routeOptions);
  await app.register(explainRoutes, routeOptions);
  await app.register(consoleRoutes, options.consoleDir !== undefined ? { dir: options.consoleDir } : {});
  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  await app.ready();
  return app;
}
