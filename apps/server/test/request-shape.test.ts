import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, asReader, createTestApi, type TestApi } from './support/test-api.js';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
  const created = await api.app.inject({
    method: 'POST',
    url: '/api/flows',
    headers: asAdmin,
    payload: { code: 'shape', topic: 'shape/+/t', action: 'STORE_DB' },
  });
  expect(created.statusCode).toBe(201);
});
afterAll(async () => {
  await api.close();
});

describe('requests as clients send them', () => {
  it('accepts a JSON content type with no body where the route takes none', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/api/flows/shape/enable',
      headers: { ...asAdmin, 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(200);
    const bad = await api.app.inject({
      method: 'POST',
      url: '/api/flows/shape/enable',
      headers: { ...asAdmin, 'content-type': 'application/json' },
      payload: '{"oops',
    });
    expect(bad.statusCode).toBe(400);
  });

  it('answers a method a route does not have with 405 and Allow; an unknown path stays 404', async () => {
    const res = await api.app.inject({ method: 'PATCH', url: '/api/flows/shape', headers: asAdmin });
    expect(res.statusCode).toBe(405);
    expect(res.headers['allow']).toBe('DELETE, GET, HEAD, PUT');
    expect(res.json()).toMatchObject({ error: 'method_not_allowed' });
    const list = await api.app.inject({ method: 'DELETE', url: '/api/flows', headers: asAdmin });
    expect(list.statusCode).toBe(405);
    expect(list.headers['allow']).toBe('GET, HEAD, POST');
    const none = await api.app.inject({ method: 'GET', url: '/api/nothing-here', headers: asReader });
    expect(none.statusCode).toBe(404);
  });

  it('refuses to rename a flow through PUT, naming $.code', async () => {
    const res = await api.app.inject({
      method: 'PUT',
      url: '/api/flows/shape',
      headers: asAdmin,
      payload: { code: 'shape-2' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().problems).toEqual([
      expect.objectContaining({
        in: 'body',
        path: '$.code',
        message: expect.stringMatching(/^cannot be changed/),
      }),
    ]);
    const same = await api.app.inject({
      method: 'PUT',
      url: '/api/flows/shape',
      headers: asAdmin,
      payload: { code: 'shape', description: 'same code' },
    });
    expect(same.statusCode).toBe(200);
  });

  it('409 has_data names the flow and how to delete it with its data', async () => {
    await api.transport.deliver('shape/a/t', { v: 1 });
    const res = await api.app.inject({ method: 'DELETE', url: '/api/flows/shape', headers: asAdmin });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      error: 'has_data',
      message:
        "flow 'shape' has stored records or queued POSTs; to delete them with it: DELETE /api/flows/shape?cascade=true",
    });
  });

  it('docs/server.md shows the error body the API really sends', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/api/flows',
      headers: asAdmin,
      payload: { code: 'doc', topic: 'a/#/b', action: 'STORE_DB' },
    });
    const doc = readFileSync(new URL('../../../docs/server.md', import.meta.url), 'utf8');
    const example = /Errors are always\s+```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    expect(JSON.parse(example ?? 'null')).toEqual(res.json());
  });
});
