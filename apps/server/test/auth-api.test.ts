import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, asAdmin, asReader, createTestApi, type TestApi } from './support/test-api.js';

describe('API authentication and roles', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('refuses a request without a token with 401 and a Bearer challenge', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/api/flows' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="iotgw"');
    expect(res.json()).toEqual({
      error: 'unauthorized',
      message: 'a bearer token is required (Authorization: Bearer <token>)',
    });
  });

  it('refuses an unknown token and a malformed header', async () => {
    for (const authorization of [
      `Bearer ${ADMIN_TOKEN}x`,
      `Basic ${ADMIN_TOKEN}`,
      'Bearer',
      `Bearer ${ADMIN_TOKEN} x`,
    ]) {
      const res = await api.app.inject({ method: 'GET', url: '/api/flows', headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
    }
  });

  it('lets a read token GET but not write (403)', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/api/flows', headers: asReader })).statusCode).toBe(
      200,
    );
    const writes = [
      { method: 'POST', url: '/api/flows', payload: { code: 'x', topic: 'a', action: 'STORE_DB' } },
      { method: 'PUT', url: '/api/flows/x', payload: { topic: 'b' } },
      { method: 'POST', url: '/api/flows/x/enable' },
      { method: 'DELETE', url: '/api/flows/x' },
      { method: 'POST', url: '/api/flows/reload' },
      { method: 'POST', url: '/api/mqtt-servers', payload: { name: 'm', host: 'h' } },
      { method: 'POST', url: '/api/dead-letters/redrive', payload: { ids: [1] } },
      { method: 'DELETE', url: '/api/dead-letters/1' },
      { method: 'PUT', url: '/api/gateways/gw1/meters', payload: [] },
    ] as const;
    for (const w of writes) {
      const res = await api.app.inject({ ...w, headers: asReader });
      expect(res.statusCode, `${w.method} ${w.url}`).toBe(403);
      expect(res.json().error).toBe('forbidden');
    }
  });

  it('lets an admin token read and write', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/api/gateways', headers: asAdmin })).statusCode).toBe(
      200,
    );
    expect(
      (await api.app.inject({ method: 'POST', url: '/api/flows/reload', headers: asAdmin })).statusCode,
    ).toBe(200);
  });

  it('keeps the probes and the OpenAPI document public, and /metrics behind a token', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await api.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect((await api.app.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
    expect((await api.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await api.app.inject({ method: 'GET', url: '/metrics', headers: asReader })).statusCode).toBe(
      200,
    );
  });
});

describe('API without any token configured', () => {
  it('accepts every request (the server then listens on loopback only)', async () => {
    const api = await createTestApi({ tokens: '' });
    try {
      const res = await api.app.inject({
        method: 'POST',
        url: '/api/flows',
        payload: { code: 'open', topic: 'open/#', action: 'STORE_DB' },
      });
      expect(res.statusCode).toBe(201);
    } finally {
      await api.close();
    }
  });
});

describe('API limits', () => {
  it('rate-limits writes per client with 429', async () => {
    const api = await createTestApi({ writeRateLimitPerMinute: 3 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) {
        codes.push(
          (await api.app.inject({ method: 'POST', url: '/api/flows/reload', headers: asAdmin })).statusCode,
        );
      }
      expect(codes).toEqual([200, 200, 200, 429]);
      const limited = await api.app.inject({ method: 'POST', url: '/api/flows/reload', headers: asAdmin });
      expect(limited.json().error).toBe('rate_limited');
      expect(limited.headers['retry-after']).toBeDefined();
      // Reads are not limited.
      expect((await api.app.inject({ method: 'GET', url: '/api/flows', headers: asAdmin })).statusCode).toBe(
        200,
      );
    } finally {
      await api.close();
    }
  });

  it('refuses a body over the limit with 413', async () => {
    const api = await createTestApi({ bodyLimitBytes: 2048 });
    try {
      const res = await api.app.inject({
        method: 'POST',
        url: '/api/flows',
        headers: asAdmin,
        payload: { code: 'big', topic: 'a', action: 'STORE_DB', description: 'x'.repeat(4000) },
      });
      expect(res.statusCode).toBe(413);
      expect(res.json().error).toBe('payload_too_large');
    } finally {
      await api.close();
    }
  });

  it('sends no CORS headers by default', async () => {
    const api = await createTestApi();
    try {
      const res = await api.app.inject({
        method: 'OPTIONS',
        url: '/api/flows',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
      });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await api.close();
    }
  });
});
