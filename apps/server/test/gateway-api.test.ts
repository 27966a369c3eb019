import { isoTimestamp, type MeterStatusReport } from '@iotgw/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, asReader, createTestApi, type TestApi } from './support/test-api.js';

const KEY = '9A25139E3244CC2E391A8EF6B915B697';
let api: TestApi;

function statusReport(command: MeterStatusReport['command'], meters: MeterStatusReport['meters']): Buffer {
  return Buffer.from(JSON.stringify({ timestamp: isoTimestamp(new Date()), command, meters }));
}

beforeAll(async () => {
  api = await createTestApi({ provisioningWaitMs: 1_000 });
  api.directory.accept('v2/gw-01/status/availability', Buffer.from('online'));
  api.directory.accept(
    'v2/gw-01/status/health',
    Buffer.from(
      JSON.stringify({
        timestamp: '2026-06-04T10:32:48Z',
        version: '0.1.0',
        uptime_s: 60,
        counters: { a: 1 },
      }),
    ),
  );
  api.directory.accept('v2/gw-02/status/availability', Buffer.from('offline'));
});
afterAll(async () => {
  await api.close();
});

describe('gateways API', () => {
  it('lists the gateways seen on their retained status topics', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/api/gateways', headers: asReader });
    expect(res.statusCode).toBe(200);
    const [gw1, gw2] = res.json().gateways;
    expect(gw1).toMatchObject({ gatewayId: 'gw-01', availability: 'online', meters: null, command: null });
    expect(gw1.health).toMatchObject({ version: '0.1.0', uptime_s: 60, counters: { a: 1 } });
    expect(gw2).toMatchObject({ gatewayId: 'gw-02', availability: 'offline', health: null });
    const one = await api.app.inject({ method: 'GET', url: '/api/gateways/gw-02', headers: asReader });
    expect(one.json().availability).toBe('offline');
    expect(
      (await api.app.inject({ method: 'GET', url: '/api/gateways/gw-99', headers: asReader })).statusCode,
    ).toBe(404);
    expect(
      (await api.app.inject({ method: 'GET', url: '/api/gateways/gw-99/meters', headers: asReader }))
        .statusCode,
    ).toBe(404);
  });

  it('publishes a provisioning list and answers with the edge’s per-meter status', async () => {
    api.onPublish = (gatewayId) => {
      api.directory.accept(
        `v2/${gatewayId}/status/meters`,
        statusReport({ timestamp: isoTimestamp(new Date()), ok: true }, [
          { deviceId: '32666857', manufacturerKey: 'kam', index: 0, status: 'never_heard' },
          {
            deviceId: '76348799',
            manufacturerKey: 'kam',
            index: 1,
            status: 'wrong_key',
            reason: 'key does not decrypt',
          },
        ]),
      );
    };
    const res = await api.app.inject({
      method: 'PUT',
      url: '/api/gateways/gw-01/meters',
      headers: asAdmin,
      payload: [
        { DeviceId: '32666857', ManufacturerKey: 'kam', EncryptionKey: KEY },
        { deviceId: '76348799', manufacturerKey: 'kam', encryptionKey: KEY },
      ],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ gatewayId: 'gw-01', status: 'applied', command: { ok: true } });
    expect(body.meters.map((m: { status: string }) => m.status)).toEqual(['never_heard', 'wrong_key']);
    expect(res.body).not.toContain(KEY);
    // Legacy PascalCase keys were normalised before publishing.
    expect(api.published.at(-1)).toEqual({
      gatewayId: 'gw-01',
      list: [
        { deviceId: '32666857', manufacturerKey: 'kam', encryptionKey: KEY },
        { deviceId: '76348799', manufacturerKey: 'kam', encryptionKey: KEY },
      ],
    });
    const meters = await api.app.inject({
      method: 'GET',
      url: '/api/gateways/gw-01/meters',
      headers: asReader,
    });
    expect(meters.json().report.meters).toHaveLength(2);
    expect(meters.body).not.toContain(KEY);
  });

  it('refuses entries the edge would refuse (id, key, manufacturer, duplicates) before publishing', async () => {
    const before = api.published.length;
    const res = await api.app.inject({
      method: 'PUT',
      url: '/api/gateways/gw-01/meters',
      headers: asAdmin,
      payload: [
        { deviceId: '32666857', manufacturerKey: 'kam', encryptionKey: 'zz' },
        { deviceId: '123', manufacturerKey: 'kam', encryptionKey: KEY },
        { deviceId: '76348799', manufacturerKey: 'k/m', encryptionKey: KEY },
        { deviceId: '76348799', manufacturerKey: 'kam', encryptionKey: KEY, manufacturerDeviceKey: KEY },
        { deviceId: '11223344', encryptionKey: KEY },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().problems).toEqual([
      { in: 'body', path: '$[0].encryptionKey', message: 'must be 32 hex digits (the AES-128 key)' },
      {
        in: 'body',
        path: '$[1].deviceId',
        message: 'must be 8 digits (the meter id printed on the meter) (got "123")',
      },
      { in: 'body', path: '$[2].manufacturerKey', message: expect.stringMatching(/^must be 1-32 letters/) },
      {
        in: 'body',
        path: '$[3].manufacturerDeviceKey',
        message: expect.stringMatching(/not look like a key/),
      },
      { in: 'body', path: '$[3].deviceId', message: 'duplicates $[2].deviceId' },
      { in: 'body', path: '$[4].manufacturerKey', message: 'is required' },
    ]);
    expect(res.body).not.toContain(KEY);
    expect(api.published.length).toBe(before);
  });

  it('says when the edge refused the list as a whole', async () => {
    api.onPublish = (gatewayId) => {
      api.directory.accept(
        `v2/${gatewayId}/status/meters`,
        statusReport({ timestamp: isoTimestamp(new Date()), ok: false, error: '$[0] must be object' }, []),
      );
    };
    const res = await api.app.inject({
      method: 'PUT',
      url: '/api/gateways/gw-01/meters',
      headers: asAdmin,
      payload: [],
    });
    expect(res.json()).toMatchObject({
      status: 'refused',
      command: { ok: false, error: '$[0] must be object' },
    });
  });

  it('answers 202 with a Location to poll when the edge does not answer in time', async () => {
    api.onPublish = undefined;
    const res = await api.app.inject({
      method: 'PUT',
      url: '/api/gateways/gw-02/meters',
      headers: asAdmin,
      payload: [{ deviceId: '32666857', manufacturerKey: 'kam', encryptionKey: KEY }],
    });
    expect(res.statusCode).toBe(202);
    expect(res.headers.location).toBe('/api/gateways/gw-02/meters');
    expect(res.json()).toMatchObject({
      gatewayId: 'gw-02',
      status: 'pending',
      location: '/api/gateways/gw-02/meters',
    });
    expect(res.body).not.toContain(KEY);
  });

  it('ignores an older report: only an answer to this request counts', async () => {
    api.onPublish = (gatewayId) => {
      api.directory.accept(
        `v2/${gatewayId}/status/meters`,
        statusReport({ timestamp: '2020-01-01T00:00:00Z', ok: true }, []),
      );
    };
    const res = await api.app.inject({
      method: 'PUT',
      url: '/api/gateways/gw-02/meters',
      headers: asAdmin,
      payload: [],
    });
    expect(res.statusCode).toBe(202);
  });

  it('validates the body against the meterProvisioning contract without echoing keys', async () => {
    const notList = await api.app.inject({
      method: 'PUT',
      url: '/api/gateways/gw-01/meters',
      headers: asAdmin,
      payload: { deviceId: '32666857', encryptionKey: KEY },
    });
    expect(notList.statusCode).toBe(400);
    expect(notList.json().problems[0]).toMatchObject({ in: 'body', path: '$' });
    expect(notList.body).not.toContain(KEY);
    const badEntry = await api.app.inject({
      method: 'PUT',
      url: '/api/gateways/gw-01/meters',
      headers: asAdmin,
      payload: [
        { deviceId: '32666857', encryptionKey: KEY },
        { DeviceId: 32666858, EncryptionKey: KEY },
      ],
    });
    expect(badEntry.statusCode).toBe(400);
    expect(badEntry.json().problems[0]).toMatchObject({ in: 'body', path: '$[1].deviceId' });
    expect(badEntry.body).not.toContain(KEY);
    const badId = await api.app.inject({
      method: 'PUT',
      url: '/api/gateways/a+b/meters',
      headers: asAdmin,
      payload: [],
    });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().problems[0]).toMatchObject({ in: 'params', path: '$.gatewayId' });
  });
});
