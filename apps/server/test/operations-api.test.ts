import { COMMIT_STALL_GRACE_MS, commitCheck, ServerMetrics } from '@iotgw/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, asReader, createTestApi, type TestApi } from './support/test-api.js';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => {
  await api.close();
});

describe('operations endpoints', () => {
  it('/healthz says the process is up', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.json()).toMatchObject({ status: 'ok', version: '0.0.0-test' });
  });

  it('/readyz checks the database, the migrations and the broker, and names what is not ready', async () => {
    const ok = await api.app.inject({ method: 'GET', url: '/readyz' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      ready: true,
      notReady: [],
      checks: {
        database: { ok: true },
        migrations: { ok: true },
        broker: { ok: true },
        commits: { ok: true },
      },
    });
    api.brokerUp = false;
    try {
      const down = await api.app.inject({ method: 'GET', url: '/readyz' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({
        ready: false,
        notReady: ['broker'],
        checks: { broker: { ok: false } },
      });
    } finally {
      api.brokerUp = true;
    }
  });

  it('says which flows cannot commit, in /readyz details and a metric (issue 13.3)', async () => {
    const now = 1_000_000;
    const stall = { since: now - 12_000, flows: ['big'], error: 'ECONNRESET: read ECONNRESET', attempts: 9 };
    expect(commitCheck(null, now)).toEqual({ ok: true, detail: 'batches commit' });
    expect(commitCheck({ ...stall, since: now - COMMIT_STALL_GRACE_MS + 1 }, now).ok).toBe(true);
    expect(commitCheck(stall, now)).toEqual({
      ok: false,
      detail: 'flows big cannot commit for 12 s (9 attempts): ECONNRESET: read ECONNRESET',
    });
    const metrics = new ServerMetrics({ defaultMetrics: false });
    let current: typeof stall | null = { ...stall, since: Date.now() - 12_000 };
    metrics.attach({ commitStall: () => current });
    let text = await metrics.text();
    expect(text).toMatch(/iotgw_router_commit_stalled_seconds 1[2-9](\.\d+)?\n/);
    expect(text).toContain('iotgw_router_flow_commit_stalled{flow="big"} 1');
    current = null;
    text = await metrics.text();
    expect(text).toContain('iotgw_router_commit_stalled_seconds 0');
    expect(text).not.toContain('iotgw_router_flow_commit_stalled{');
  });

  it('/metrics exposes the router hooks in Prometheus text', async () => {
    await api.app.inject({
      method: 'POST',
      url: '/api/flows',
      headers: asAdmin,
      payload: { code: 'm1', topic: 'm/1', action: 'STORE_DB', payloadSchema: { v: 'number' } },
    });
    await api.transport.deliver('m/1', { v: 1 });
    await api.transport.deliver('m/1', { v: 'x' });
    await api.transport.deliver('m/2', { v: 1 });
    const res = await api.app.inject({ method: 'GET', url: '/metrics', headers: asReader });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(text).toContain('iotgw_router_messages_total{flow="m1",outcome="stored"} 1');
    expect(text).toContain('iotgw_router_messages_total{flow="m1",outcome="dead_letter"} 1');
    expect(text).toMatch(/iotgw_router_dead_letters_total\{flow="m1",reason="[A-Z_]+"\} 1/);
    expect(text).toMatch(/iotgw_router_batch_size_count \d+/);
    expect(text).toMatch(/iotgw_router_commit_duration_seconds_bucket\{le="0.1"\} \d+/);
    expect(text).toContain('# TYPE iotgw_router_retry_queue_depth gauge');
    expect(text).toContain('# TYPE iotgw_http_sink_requests_total counter');
  });

  it('/openapi.json documents every route with its schemas and the bearer scheme', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/openapi.json' });
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearerAuth).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    );
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(
      [
        'GET /healthz',
        'GET /readyz',
        'GET /metrics',
        'GET /api/flows',
        'POST /api/flows',
        'POST /api/flows/reload',
        'GET /api/flows/{code}',
        'PUT /api/flows/{code}',
        'DELETE /api/flows/{code}',
        'POST /api/flows/{code}/enable',
        'POST /api/flows/{code}/disable',
        'GET /api/records',
        'GET /api/records.csv',
        'GET /api/live',
        'POST /api/explain',
        'GET /api/dead-letters',
        'DELETE /api/dead-letters',
        'GET /api/dead-letters/{id}',
        'DELETE /api/dead-letters/{id}',
        'POST /api/dead-letters/redrive',
        'GET /api/deliveries',
        'GET /api/mqtt-servers',
        'POST /api/mqtt-servers',
        'GET /api/mqtt-servers/{id}',
        'PUT /api/mqtt-servers/{id}',
        'DELETE /api/mqtt-servers/{id}',
        'GET /api/gateways',
        'GET /api/gateways/{gatewayId}',
        'GET /api/gateways/{gatewayId}/meters',
        'PUT /api/gateways/{gatewayId}/meters',
      ].sort(),
    );
    const create = doc.paths['/api/flows'].post;
    expect(create.requestBody.content['application/json'].schema.required).toEqual([
      'code',
      'topic',
      'action',
    ]);
    expect(Object.keys(create.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '409', '429']),
    );
    const records = doc.paths['/api/records'].get;
    expect(records.parameters.map((p: { name: string }) => p.name).sort()).toEqual(
      ['cursor', 'field', 'flow', 'from', 'limit', 'to'].sort(),
    );
    expect(doc.paths['/healthz'].get.security).toEqual([]);
    const server =
      doc.paths['/api/mqtt-servers/{id}'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(server.properties)).not.toContain('password');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/api/nothing?x=1', headers: asReader });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: 'no route GET /api/nothing' });
  });
});
