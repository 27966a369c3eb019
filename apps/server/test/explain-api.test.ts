import { afterAll, beforeAll, expect, it } from 'vitest';
import { asAdmin, asReader, createTestApi, type TestApi } from './support/test-api.js';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
  const r = await api.app.inject({
    method: 'POST',
    url: '/api/flows',
    headers: asAdmin,
    payload: { code: 'ble', topic: 'v2/+/ble/+/data', action: 'STORE_DB', payloadSchema: { t: 'number' } },
  });
  expect(r.statusCode).toBe(201);
});
afterAll(() => api.close());

it('POST /api/explain tells store / dead letter per flow, for a read token, storing nothing', async () => {
  const explain = (payload: unknown, topic = 'v2/gw/ble/AA/data') =>
    api.app.inject({ method: 'POST', url: '/api/explain', headers: asReader, payload: { topic, payload } });
  const ok = await explain({ t: 1, x: 'y' });
  expect(ok.statusCode).toBe(200);
  expect(ok.json()).toEqual({
    topic: 'v2/gw/ble/AA/data',
    flows: [expect.objectContaining({ code: 'ble', outcome: 'store', fields: 2 })],
  });
  const bad = (await explain('{"t":"warm"}')).json().flows[0];
  expect(bad).toMatchObject({ outcome: 'dead_letter', jsonPath: '$.t' });
  expect((await explain({ t: 1 }, 'elsewhere')).json().flows).toEqual([]);
  const wildcard = await explain({ t: 1 }, 'v2/+/ble/AA/data');
  expect(wildcard.statusCode).toBe(400);
  expect(wildcard.json().problems[0].path).toBe('$.topic');
  expect(
    (await api.app.inject({ method: 'POST', url: '/api/explain', payload: { topic: 'a', payload: 1 } }))
      .statusCode,
  ).toBe(401);
  const flows = (await api.app.inject({ method: 'GET', url: '/api/flows', headers: asReader })).json().flows;
  expect(flows[0].counters.lastMsgId).toBe(0);
});
