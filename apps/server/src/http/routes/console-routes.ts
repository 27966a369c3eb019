import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ConsoleAsset, defaultConsoleDir, loadConsoleAssets } from '../../console/console-assets.js';

/** Only the console's own origin: no inline script or style, no framing, no plugins. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The console's pages (client-side routes): each answers index.html. */
export const CONSOLE_PAGES = ['/', '/fleet', '/gateways/*', '/live', '/series', '/flows', '/dead-letters'];

export interface ConsoleRouteOptions {
  /** The built console (default: @iotgw/console's dist/www). */
  readonly dir?: string | undefined;
}

function send(request: FastifyRequest, reply: FastifyReply, asset: ConsoleAsset): FastifyReply {
  void reply
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('cache-control', 'no-cache')
    .header('etag', asset.etag)
    .header('vary', 'accept-encoding')
    .type(asset.type);
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  const gzip = asset.gzip !== undefined && /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
  if (gzip) void reply.header('content-encoding', 'gzip');
  return reply.send(gzip ? asset.gzip : asset.body);
}

/**
 * The web console at `/` (docs/console.md): its files from memory, its pages (client routes) answered
 * with index.html, under a Content-Security-Policy that allows only this origin. Public: the console
 * asks for a token itself and calls the API with it.
 */
export async function consoleRoutes(app: FastifyInstance, options: ConsoleRouteOptions): Promise<void> {
  const assets = loadConsoleAssets('dir' in options ? options.dir : defaultConsoleDir());
  const route = { config: { access: 'public' as const }, schema: { hide: true } };
  const index = (request: FastifyRequest, reply: FastifyReply) => {
    const page = assets.get('index.html');
    if (!page) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('the web console is not built: run `pnpm build` (apps/console)\n');
    }
    return send(request, reply, page);
  };
  for (const path of CONSOLE_PAGES) app.get(path, route, index);
  app.get<{ Params: { file: string } }>('/console/:file', route, (request, reply) => {
    const asset = request.params.file === 'index.html' ? undefined : assets.get(request.params.file);
    if (!asset) {
      return reply.code(404).send({ error: 'not_found', message: `no console file ${request.params.file}` });
    }
    return send(request, reply, asset);
  });
}
