import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, asReader, createTestApi, type TestApi } from './support/test-api.js';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => {
  await api.close();
});

const flow = {
  code: 'room-climate',
  topic: 'site/+/climate',
  action: 'STORE_DB',
  payloadSchema: { temp: 'number', humidity: 'int' },
  description: 'rooms',
};

describe('flows API', () => {
  it('creates a flow, reloads the router and reports what the reload changed', async () => {
    const res = await api.app.inject({ method: 'POST', url: '/api/flows', headers: asAdmin, payload: flow });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.flow).toMatchObject({
      code: 'room-climate',
      topic: 'site/+/climate',
      enabled: true,
      lastMsgId: 0,
    });
    expect(body.flow.counters).toEqual({ lastMsgId: 0, records: 0, deadLetters: 0 });
    expect(body.reload.added).toEqual(['room-climate']);
    expect(body.reload.subscribed).toEqual(['site/+/climate']);
    expect(body.reload.at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(api.transport.subscribed.has('site/+/climate')).toBe(true);
  });

  it('refuses an invalid topic filter, naming its JSON path', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/api/flows',
      headers: asAdmin,
      payload: { ...flow, code: 'bad-topic', topic: 'site/#/climate' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: 'validation',
      problems: [{ in: 'body', path: '$.topic', message: expect.stringContaining("'#'") }],
    });
  });

  it('refuses an invalid payload schema with the path of the bad field', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/api/flows',
      headers: asAdmin,
      payload: { ...flow, code: 'bad-schema', payloadSchema: { temp: 'numbr' } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().problems).toEqual([
      expect.objectContaining({
        path: '$.payloadSchema.temp',
        message: expect.stringContaining("unknown type 'numbr'"),
      }),
    ]);
  });

  it('answers 400, not 500, for a payload schema nested too deep, and for a backtracking-only pattern (issue 13)', async () => {
    // Written as text: JSON.stringify of 6,000 levels would itself overflow the stack.
    const levels = 3_000;
    const deep = `${'{"type":"object","properties":{"a":'.repeat(levels)}{"type":"object"}${'}}'.repeat(levels)}`;
    const body = JSON.stringify({ ...flow, code: 'deep-schema', payloadSchema: null }).replace('null', deep);
    const res = await api.app.inject({
      method: 'POST',
      url: '/api/flows',
      headers: { ...asAdmin, 'content-type': 'application/json' },
      payload: body,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().problems).toEqual([
      expect.objectContaining({ path: '$.payloadSchema', message: 'is nested deeper than 64 levels' }),
    ]);
    const backref = await api.app.inject({
      method: 'POST',
      url: '/api/flows',
      headers: asAdmin,
      payload: {
        ...flow,
        code: 'backref',
        payloadSchema: { type: 'object', properties: { a: { type: 'string', pattern: '^(a)\\1$' } } },
      },
    });
    expect(backref.statusCode).toBe(400);
    expect(JSON.stringify(backref.json().problems)).toMatch(/linear-time regular expression engine/);
  });

  it('reports every schema problem of the body with its path (fastify validation)', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/api/flows',
      headers: asAdmin,
      payload: { topic: 7, action: 'STORE', colour: 'red' },
    });
    expect(res.statusCode).toBe(400);
    const paths = res
      .json()
      .problems.map((p: { path: string }) => p.path)
      .sort();
    expect(paths).toEqual(['$.action', '$.code', '$.colour', '$.topic']);
    const action = res.json().problems.find((p: { path: string }) => p.path === '$.action');
    expect(action.message).toBe('must be one of "STORE_DB", "POST_ENDPOINT"');
  });

  it('refuses a POST_ENDPOINT flow without a URL, and a duplicate code with 409', async () => {
    const noUrl = await api.app.inject({
      method: 'POST',
      url: '/api/flows',
      headers: asAdmin,
      payload: { code: 'poster', topic: 'a/b', action: 'POST_ENDPOINT' },
    });
    expect(noUrl.statusCode).toBe(400);
    expect(noUrl.json().problems[0].path).toBe('$.endpointUrl');
    const dup = await api.app.inject({ method: 'POST', url: '/api/flows', headers: asAdmin, payload: flow });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toBe('conflict');
  });

  it('lists flows with their counters: last msg id, records stored, dead letters', async () => {
    await api.transport.deliver('site/a/climate', { temp: 21.5, humidity: 40 });
    await api.transport.deliver('site/b/climate', { temp: 19, humidity: 45 });
    await api.transport.deliver('site/b/climate', { temp: 'warm', humidity: 45 });
    const res = await api.app.inject({ method: 'GET', url: '/api/flows', headers: asReader });
    expect(res.statusCode).toBe(200);
    const [f] = res.json().flows;
    expect(f.code).toBe('room-climate');
    expect(f.counters).toEqual({ lastMsgId: 2, records: 4, deadLetters: 1 });
    const one = await api.app.inject({ method: 'GET', url: '/api/flows/room-climate', headers: asReader });
    expect(one.json().counters).toEqual({ lastMsgId: 2, records: 4, deadLetters: 1 });
    const enabledOnly = await api.app.inject({
      method: 'GET',
      url: '/api/flows?enabled=false',
      headers: asReader,
    });
    expect(enabledOnly.json().flows).toEqual([]);
  });

  it('answers 404 for an unknown flow', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/api/flows/nope', headers: asReader });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: "no flow with code 'nope'" });
  });

  it('updates a flow: the router subscribes the new filter and unsubscribes the old one', async () => {
    const res = await api.app.inject({
      method: 'PUT',
      url: '/api/flows/room-climate',
      headers: asAdmin,
      payload: { topic: 'site/+/climate/v2' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.flow.topic).toBe('site/+/climate/v2');
    expect(body.flow.version).toBe(2);
    expect(body.reload.recompiled).toEqual(['room-climate']);
    expect(body.reload.subscribed).toEqual(['site/+/climate/v2']);
    expect(body.reload.unsubscribed).toEqual(['site/+/climate']);
    const empty = await api.app.inject({
      method: 'PUT',
      url: '/api/flows/room-climate',
      headers: asAdmin,
      payload: {},
    });
    expect(empty.statusCode).toBe(400);
    const bad = await api.app.inject({
      method: 'PUT',
      url: '/api/flows/room-climate',
      headers: asAdmin,
      payload: { topic: 'site/cli+mate' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().problems[0].path).toBe('$.topic');
  });

  it('disables and enables a flow with a reload each time', async () => {
    const off = await api.app.inject({
      method: 'POST',
      url: '/api/flows/room-climate/disable',
      headers: asAdmin,
    });
    expect(off.statusCode).toBe(200);
    expect(off.json().flow.enabled).toBe(false);
    expect(off.json().reload.removed).toEqual(['room-climate']);
    expect(api.transport.subscribed.size).toBe(0);
    const on = await api.app.inject({
      method: 'POST',
      url: '/api/flows/room-climate/enable',
      headers: asAdmin,
    });
    expect(on.json().flow.enabled).toBe(true);
    expect(on.json().reload.added).toEqual(['room-climate']);
  });

  it('reloads on demand', async () => {
    const res = await api.app.inject({ method: 'POST', url: '/api/flows/reload', headers: asAdmin });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ active: 1, added: [], removed: [], unchanged: 1, errors: [] });
  });

  it('keeps a flow with stored records unless deletion cascades', async () => {
    const kept = await api.app.inject({ method: 'DELETE', url: '/api/flows/room-climate', headers: asAdmin });
    expect(kept.statusCode).toBe(409);
    expect(kept.json().error).toBe('has_data');
    const gone = await api.app.inject({
      method: 'DELETE',
      url: '/api/flows/room-climate?cascade=true',
      headers: asAdmin,
    });
    expect(gone.statusCode).toBe(200);
    expect(gone.json()).toMatchObject({
      deleted: true,
      code: 'room-climate',
      reload: { removed: ['room-climate'] },
    });
    const again = await api.app.inject({
      method: 'DELETE',
      url: '/api/flows/room-climate',
      headers: asAdmin,
    });
    expect(again.statusCode).toBe(404);
  });
});
