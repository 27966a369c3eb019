import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '@iotgw/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, asReader, createTestApi, type TestApi } from './support/test-api.js';

let api: TestApi;
let endpoint: Server;
let posts = 0;
beforeAll(async () => {
  // A real endpoint that is down for maintenance: every POST answers 503.
  endpoint = createServer((req, res) => {
    posts++;
    req.resume();
    res.writeHead(503).end('maintenance');
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  api = await createTestApi();
});
afterAll(async () => {
  await api.close();
  await new Promise((resolve) => endpoint.close(resolve));
});

describe('GET /api/deliveries', () => {
  it('lists the queued POST_ENDPOINT deliveries of a flow with their attempts and next try', async () => {
    const port = (endpoint.address() as AddressInfo).port;
    const created = await api.app.inject({
      method: 'POST',
      url: '/api/flows',
      headers: asAdmin,
      payload: {
        code: 'hook',
        topic: 'hook/+',
        action: 'POST_ENDPOINT',
        endpointUrl: `http://127.0.0.1:${port}/in?token=secret`,
      },
    });
    expect(created.statusCode).toBe(201);
    await api.transport.deliver('hook/a', { v: 1 });
    await waitFor(async () => posts > 0, 'the first POST', 10_000);
    let list: { deliveries: Record<string, unknown>[] } = { deliveries: [] };
    await waitFor(
      async () => {
        const res = await api.app.inject({
          method: 'GET',
          url: '/api/deliveries?flow=hook',
          headers: asReader,
        });
        list = res.json();
        return Number(list.deliveries[0]?.['attempts'] ?? 0) >= 1;
      },
      'the delivery to show its first attempt',
      10_000,
    );
    expect(list.deliveries).toHaveLength(1);
    const [d] = list.deliveries;
    expect(d).toMatchObject({
      flow: 'hook',
      topic: 'hook/a',
      endpoint: `http://127.0.0.1:${port}/in`,
      lastStatus: 503,
    });
    expect(Date.parse(String(d?.['nextAttemptAt']))).toBeGreaterThan(Date.now() - 1000);
    expect(JSON.stringify(list)).not.toMatch(/secret/);
    const other = await api.app.inject({
      method: 'GET',
      url: '/api/deliveries?flow=nope',
      headers: asReader,
    });
    expect(other.statusCode).toBe(404);
    const all = await api.app.inject({ method: 'GET', url: '/api/deliveries', headers: asReader });
    expect(all.json().deliveries).toHaveLength(1);
  });
});
