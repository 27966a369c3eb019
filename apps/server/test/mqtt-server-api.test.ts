import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, asReader, createTestApi, type TestApi } from './support/test-api.js';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => {
  await api.close();
});

describe('MQTT servers API', () => {
  it('refuses a password in the body: only a reference is stored', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/api/mqtt-servers',
      headers: asAdmin,
      payload: { name: 'main', host: 'broker.local', username: 'iotgw', password: 's3cret-pass' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().problems).toEqual([
      {
        in: 'body',
        path: '$.password',
        message: 'is never stored: give passwordRef (env:NAME or file:/path) instead',
      },
    ]);
    expect(res.body).not.toContain('s3cret-pass');
    const literal = await api.app.inject({
      method: 'POST',
      url: '/api/mqtt-servers',
      headers: asAdmin,
      payload: { name: 'main', host: 'broker.local', passwordRef: 's3cret-pass' },
    });
    expect(literal.statusCode).toBe(400);
    expect(literal.json().problems[0].path).toBe('$.passwordRef');
    expect(literal.body).not.toContain('s3cret-pass');
  });

  it('creates, lists, reads, changes and deletes a server', async () => {
    const created = await api.app.inject({
      method: 'POST',
      url: '/api/mqtt-servers',
      headers: asAdmin,
      payload: {
        name: 'main',
        host: 'broker.local',
        username: 'iotgw',
        passwordRef: 'env:MQTT_BROKER_PASSWORD',
        isDefault: true,
      },
    });
    expect(created.statusCode).toBe(201);
    const server = created.json();
    expect(server).toMatchObject({
      name: 'main',
      host: 'broker.local',
      port: 1883,
      useTls: false,
      username: 'iotgw',
      passwordRef: 'env:MQTT_BROKER_PASSWORD',
      isDefault: true,
      enabled: true,
    });
    expect(Object.keys(server)).not.toContain('password');
    const list = await api.app.inject({ method: 'GET', url: '/api/mqtt-servers', headers: asReader });
    expect(list.json().servers).toHaveLength(1);
    const changed = await api.app.inject({
      method: 'PUT',
      url: `/api/mqtt-servers/${server.id}`,
      headers: asAdmin,
      payload: { port: 8883, useTls: true, passwordRef: 'file:/run/secrets/broker' },
    });
    expect(changed.json()).toMatchObject({
      port: 8883,
      useTls: true,
      passwordRef: 'file:/run/secrets/broker',
    });
    const dup = await api.app.inject({
      method: 'POST',
      url: '/api/mqtt-servers',
      headers: asAdmin,
      payload: { name: 'main', host: 'other' },
    });
    expect(dup.statusCode).toBe(409);
    const badPort = await api.app.inject({
      method: 'PUT',
      url: `/api/mqtt-servers/${server.id}`,
      headers: asAdmin,
      payload: { port: 70000 },
    });
    expect(badPort.json().problems[0]).toMatchObject({ path: '$.port' });
    const one = await api.app.inject({
      method: 'GET',
      url: `/api/mqtt-servers/${server.id}`,
      headers: asReader,
    });
    expect(one.json().name).toBe('main');
    expect(
      (await api.app.inject({ method: 'DELETE', url: `/api/mqtt-servers/${server.id}`, headers: asAdmin }))
        .statusCode,
    ).toBe(204);
    expect(
      (await api.app.inject({ method: 'GET', url: `/api/mqtt-servers/${server.id}`, headers: asReader }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await api.app.inject({
          method: 'PUT',
          url: `/api/mqtt-servers/${server.id}`,
          headers: asAdmin,
          payload: { port: 1 },
        })
      ).statusCode,
    ).toBe(404);
  });
});
