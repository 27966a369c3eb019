import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface HealthServerOptions {
  host: string;
  port: number;
  registry: Registry;
  /** Snapshot for /healthz: what the gateway is doing right now. */
  health: () => Record<string, unknown>;
}

/** Optional HTTP endpoint (off unless `health.port` is set): `/healthz` JSON and `/metrics` Prometheus text. */
export class HealthServer {
  #server: Server | undefined;
  #port = 0;

  constructor(private readonly options: HealthServerOptions) {}

  get port(): number {
    return this.#port;
  }

  async start(): Promise<void> {
    const { registry, health } = this.options;
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET') {
        res.writeHead(405, { allow: 'GET' }).end();
        return;
      }
      if (path === '/healthz') {
        // 503 when the gateway runs but does not do its job (broker away, outbox stuck for too long).
        const snapshot = { status: 'ok', ...health() };
        res
          .writeHead(snapshot.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify(snapshot));
        return;
      }
      if (path === '/metrics') {
        registry.metrics().then(
          (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
          (err: Error) =>
            res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${err.message}`),
        );
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz or /metrics\n');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    const address = server.address();
    this.#port = typeof address === 'object' && address ? address.port : this.options.port;
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
