import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * A JSON content type with an empty body is no body (`POST /api/flows/x/enable` from a client that
 * always sends `content-type: application/json`); anything else goes through fastify's own parser.
 */
export function acceptEmptyJsonBodies(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    json(request, text, done);
  });
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Collects the methods of every route (hook it before registering routes); the returned handler answers
 * a path that exists with another method with 405 and `Allow`, any other path with 404.
 */
export function methodNotAllowed(
  app: FastifyInstance,
): (request: FastifyRequest, reply: FastifyReply) => void {
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    // CORS pre-flight routes (`OPTIONS *`) match every path: they say nothing about a path's methods.
    if (route.url.includes('*')) return;
    const segments = route.url
      .split('/')
      .map((s) => (s.startsWith(':') ? '[^/]+' : s === '*' ? '.*' : escapeRegExp(s)));
    routes.push({
      pattern: new RegExp(`^${segments.join('/')}/?$`),
      methods: [route.method].flat().map(String),
    });
  });
  return (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods))].sort();
    if (allowed.length > 0) {
      void reply
        .code(405)
        .header('allow', allowed.join(', '))
        .send({
          error: 'method_not_allowed',
          message: `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`,
        });
      return;
    }
    void reply.code(404).send({ error: 'not_found', message: `no route ${request.method} ${path}` });
  };
}
