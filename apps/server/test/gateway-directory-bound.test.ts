import { GatewayDirectory } from '@iotgw/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asReader, createTestApi, type TestApi } from './support/test-api.js';

// Issue 13 item 10: 200,000 fake gateway statuses grew the directory (and GET /api/gateways) without
// bound. Now it keeps at most GATEWAYS_MAX gateways, evicting the longest-silent, and the list pages.
const MAX = 50;
let api: TestApi;

beforeAll(async () => {
  api = await createTestApi({ maxGateways: MAX });
});
afterAll(async () => {
  await api.close();
});

const online = Buffer.from('online');

describe('gateway directory bound', () => {
  it('stays at its maximum under a flood of fake gateways, evicting the longest-silent', () => {
    let now = 0;
    const d = new GatewayDirectory({ maxGateways: MAX, now: () => ++now });
    d.accept('v2/keeper/status/availability', online);
    let largest = 0;
    for (let i = 0; i < 20_000; i++) {
      d.accept(`v2/fake-${i}/status/availability`, online);
      if (i % 10 === 0) d.accept('v2/keeper/status/availability', online); // heard often: never evicted
      largest = Math.max(largest, d.size);
    }
    expect(largest).toBe(MAX);
    expect(d.size).toBe(MAX);
    expect(d.evicted).toBe(20_001 - MAX);
    expect(d.get('keeper')).toBeDefined();
    expect(d.get('fake-0')).toBeUndefined();
    expect(d.get('fake-19999')).toBeDefined();
    // The survivors are the most recently heard.
    expect(d.list().filter((g) => g.gatewayId.startsWith('fake-'))).toHaveLength(MAX - 1);
    expect(d.get(`fake-${20_000 - (MAX - 1)}`)).toBeDefined();
    expect(d.get(`fake-${20_000 - MAX}`)).toBeUndefined();
  });

  it('pages GET /api/gateways by id with a cursor, walking every gateway once', async () => {
    for (let i = 0; i < 5_000; i++)
      api.directory.accept(`v2/gw-${String(i).padStart(5, '0')}/status/availability`, online);
    expect(api.directory.size).toBe(MAX);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/gateways?limit=7${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await api.app.inject({ method: 'GET', url, headers: asReader });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.gateways.length).toBeLessThanOrEqual(7);
      seen.push(...body.gateways.map((g: { gatewayId: string }) => g.gatewayId));
      cursor = body.nextCursor;
      pages++;
    } while (cursor !== null && pages < 100);
    expect(pages).toBe(Math.ceil(MAX / 7));
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(MAX);
    expect(seen[0]).toBe(`gw-${String(5_000 - MAX).padStart(5, '0')}`);
    const first = await api.app.inject({ method: 'GET', url: '/api/gateways', headers: asReader });
    expect(first.json().gateways).toHaveLength(MAX);
    const bad = await api.app.inject({
      method: 'GET',
      url: '/api/gateways?cursor=nonsense',
      headers: asReader,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().problems[0]).toMatchObject({ in: 'querystring', path: '$.cursor' });
    const tooMany = await api.app.inject({
      method: 'GET',
      url: '/api/gateways?limit=5000',
      headers: asReader,
    });
    expect(tooMany.statusCode).toBe(400);
  });

  it('reports evictions on /metrics', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/metrics', headers: asReader });
    expect(res.body).toMatch(/^iotgw_gateways_evicted_total \d+$/m);
  });
});
