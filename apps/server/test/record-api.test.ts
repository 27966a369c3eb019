import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, asReader, createTestApi, type TestApi } from './support/test-api.js';

let api: TestApi;
const T0 = Date.parse('2026-06-04T10:00:00Z');

beforeAll(async () => {
  api = await createTestApi();
  const res = await api.app.inject({
    method: 'POST',
    url: '/api/flows',
    headers: asAdmin,
    payload: {
      code: 'meters',
      topic: 'v2/+/+/data',
      action: 'STORE_DB',
      payloadSchema: { energy_kwh: 'number', note: 'string' },
    },
  });
  expect(res.statusCode).toBe(201);
  for (let i = 0; i < 5; i++) {
    await api.transport.deliver(
      'v2/gw1/kam-1/data',
      { energy_kwh: 10 + i, note: i === 2 ? 'a "quoted", note' : `n${i}` },
      T0 + i * 60_000,
    );
  }
  await api.transport.deliver('v2/gw1/kam-1/data', { energy_kwh: 'lots', note: 'x' }, T0 + 10 * 60_000);
  await api.transport.deliver('v2/gw1/kam-1/data', 'not json', T0 + 11 * 60_000);
});
afterAll(async () => {
  await api.close();
});

describe('records API', () => {
  it('pages through one field over time with a cursor', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/records?flow=meters&field=energy_kwh&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await api.app.inject({ method: 'GET', url, headers: asReader });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.flow).toBe('meters');
      expect(body.records.length).toBeLessThanOrEqual(2);
      for (const r of body.records) {
        expect(r).toMatchObject({ field: 'energy_kwh', type: 'number', topic: 'v2/gw1/kam-1/data' });
        seen.push(r.value);
      }
      cursor = body.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(seen).toEqual([10, 11, 12, 13, 14]);
    expect(pages).toBe(3);
  });

  it('filters by time range, with ISO times or epoch milliseconds', async () => {
    const from = new Date(T0 + 60_000).toISOString();
    const res = await api.app.inject({
      method: 'GET',
      url: `/api/records?flow=meters&field=energy_kwh&from=${from}&to=${T0 + 3 * 60_000}`,
      headers: asReader,
    });
    expect(res.json().records.map((r: { value: number }) => r.value)).toEqual([11, 12]);
    expect(res.json().records[0].receivedAt).toBe(from);
  });

  it('lists whole messages in msg id order without a field', async () => {
    const res = await api.app.inject({
      method: 'GET',
      url: '/api/records?flow=meters&limit=4',
      headers: asReader,
    });
    const body = res.json();
    expect(body.records.map((r: { msgId: number; field: string }) => `${r.msgId}:${r.field}`)).toEqual([
      '1:energy_kwh',
      '1:note',
      '2:energy_kwh',
      '2:note',
    ]);
    expect(body.nextCursor).toEqual(expect.any(String));
  });

  it('names the query parameter at fault', async () => {
    const cases: [string, string][] = [
      ['/api/records?flow=meters&from=yesterday', '$.from'],
      ['/api/records?flow=meters&limit=0', '$.limit'],
      ['/api/records?flow=meters&limit=ten', '$.limit'],
      ['/api/records?flow=meters&cursor=bm90IGEgY3Vyc29y', '$.cursor'],
      ['/api/records', '$.flow'],
      ['/api/records?flow=meters&colour=red', '$.colour'],
    ];
    for (const [url, path] of cases) {
      const res = await api.app.inject({ method: 'GET', url, headers: asReader });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().problems[0], url).toMatchObject({ in: 'querystring', path });
    }
    const unknown = await api.app.inject({ method: 'GET', url: '/api/records?flow=nope', headers: asReader });
    expect(unknown.statusCode).toBe(404);
  });

  it('exports the range as CSV', async () => {
    const res = await api.app.inject({
      method: 'GET',
      url: '/api/records.csv?flow=meters',
      headers: asReader,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="meters.csv"');
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('flow,msg_id,field,type,value,topic,received_at');
    expect(lines).toHaveLength(1 + 10);
    expect(lines).toContain(
      'meters,3,note,string,"a ""quoted"", note",v2/gw1/kam-1/data,2026-06-04T10:02:00.000Z',
    );
    expect(lines[1]).toBe('meters,1,energy_kwh,number,10,v2/gw1/kam-1/data,2026-06-04T10:00:00.000Z');
    const field = await api.app.inject({
      method: 'GET',
      url: '/api/records.csv?flow=meters&field=note&to=2026-06-04T10:01:00Z',
      headers: asReader,
    });
    expect(field.body.trimEnd().split('\r\n')).toHaveLength(2);
  });
});

describe('dead letters API', () => {
  it('lists dead letters with their reason and JSON path, newest first, paginated', async () => {
    const first = await api.app.inject({
      method: 'GET',
      url: '/api/dead-letters?limit=1',
      headers: asAdmin,
    });
    expect(first.statusCode).toBe(200);
    const [newest] = first.json().deadLetters;
    expect(newest).toMatchObject({
      flowCode: 'meters',
      payloadText: 'not json',
      reasonCode: expect.any(String),
    });
    const second = await api.app.inject({
      method: 'GET',
      url: `/api/dead-letters?limit=1&cursor=${first.json().nextCursor}`,
      headers: asReader,
    });
    const [older] = second.json().deadLetters;
    expect(older).toMatchObject({
      flowCode: 'meters',
      jsonPath: '$.energy_kwh',
      receivedAt: '2026-06-04T10:10:00.000Z',
    });
    expect(second.json().nextCursor).toBeNull();
    const byFlow = await api.app.inject({
      method: 'GET',
      url: '/api/dead-letters?flow=meters',
      headers: asReader,
    });
    expect(byFlow.json().deadLetters).toHaveLength(2);
    const byReason = await api.app.inject({
      method: 'GET',
      url: `/api/dead-letters?reason=${older.reasonCode}`,
      headers: asReader,
    });
    expect(byReason.json().deadLetters.map((d: { id: number }) => d.id)).toEqual([older.id]);
    const one = await api.app.inject({
      method: 'GET',
      url: `/api/dead-letters/${older.id}`,
      headers: asReader,
    });
    expect(one.json().id).toBe(older.id);
  });

  it('re-drives a dead letter once its flow accepts it, and reports each id', async () => {
    const list = (
      await api.app.inject({ method: 'GET', url: '/api/dead-letters', headers: asReader })
    ).json();
    const schemaFail = list.deadLetters.find(
      (d: { jsonPath: string | null }) => d.jsonPath === '$.energy_kwh',
    );
    const stillBad = await api.app.inject({
      method: 'POST',
      url: '/api/dead-letters/redrive',
      headers: asAdmin,
      payload: { ids: [schemaFail.id, 999_999] },
    });
    expect(stillBad.json()).toMatchObject({
      redriven: 0,
      failed: 2,
      results: [
        { id: schemaFail.id, status: 'still_invalid' },
        { id: 999_999, status: 'not_found' },
      ],
    });
    await api.app.inject({
      method: 'PUT',
      url: '/api/flows/meters',
      headers: asAdmin,
      payload: { payloadSchema: { energy_kwh: 'string', note: 'string' } },
    });
    const ok = await api.app.inject({
      method: 'POST',
      url: '/api/dead-letters/redrive',
      headers: asAdmin,
      payload: { ids: [schemaFail.id] },
    });
    expect(ok.json()).toEqual({
      redriven: 1,
      failed: 0,
      results: [{ id: schemaFail.id, status: 'stored', msgId: 6 }],
    });
    const bad = await api.app.inject({
      method: 'POST',
      url: '/api/dead-letters/redrive',
      headers: asAdmin,
      payload: { ids: [] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().problems[0].path).toBe('$.ids');
  });

  it('deletes one and many', async () => {
    const [d] = (await api.app.inject({ method: 'GET', url: '/api/dead-letters', headers: asReader })).json()
      .deadLetters;
    const del = await api.app.inject({
      method: 'DELETE',
      url: `/api/dead-letters/${d.id}`,
      headers: asAdmin,
    });
    expect(del.statusCode).toBe(204);
    expect(
      (await api.app.inject({ method: 'DELETE', url: `/api/dead-letters/${d.id}`, headers: asAdmin }))
        .statusCode,
    ).toBe(404);
    await api.transport.deliver('v2/gw1/kam-1/data', '[1]');
    await api.transport.deliver('v2/gw1/kam-1/data', '[2]');
    const ids = (await api.app.inject({ method: 'GET', url: '/api/dead-letters', headers: asReader }))
      .json()
      .deadLetters.map((x: { id: number }) => x.id);
    const bulk = await api.app.inject({
      method: 'DELETE',
      url: '/api/dead-letters',
      headers: asAdmin,
      payload: { ids },
    });
    expect(bulk.json()).toEqual({ deleted: 2 });
    const bad = await api.app.inject({ method: 'DELETE', url: '/api/dead-letters/abc', headers: asAdmin });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().problems[0]).toMatchObject({ in: 'params', path: '$.id' });
  });
});
