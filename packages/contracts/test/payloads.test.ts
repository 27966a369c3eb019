import {
  allContracts,
  gatewayAvailability,
  isoTimestamp,
  meterData,
  meterProvisioning,
  meterProvisioningProblems,
  PayloadSchemaError,
  thingyReading,
} from '@iotgw/contracts';
import { describe, expect, it } from 'vitest';

describe('payload contracts', () => {
  it('parses a legacy Thingy:52 payload byte for byte', () => {
    const bytes = Buffer.from(
      '{"timestamp": "2026-06-04T10:32:48Z", "temp": 21.3, "humidity": 41, "co2_ppm": 612, "window_open": false, "battery": 87}',
    );
    const parsed = thingyReading.parse(bytes);
    expect(parsed).toEqual({
      ok: true,
      value: {
        timestamp: '2026-06-04T10:32:48Z',
        temp: 21.3,
        humidity: 41,
        co2_ppm: 612,
        window_open: false,
        battery: 87,
      },
    });
  });

  it('names the failing JSON path', () => {
    const r = thingyReading.parse('{"timestamp":"2026-06-04T10:32:48Z","humidity":"41"}');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('PAYLOAD_ERR_SCHEMA');
      expect(r.error.path).toBe('$.humidity');
      expect(r.error.message).toBe('thingyReading payload at $.humidity must be integer');
    }
    const missing = thingyReading.parse('{"temp":1}');
    expect(!missing.ok && missing.error.message).toBe('thingyReading payload at $.timestamp is required');
    const extra = thingyReading.parse('{"timestamp":"2026-06-04T10:32:48Z","temperature":1}');
    expect(!extra.ok && extra.error.path).toBe('$.temperature');
  });

  it('reports non-JSON and non-UTF-8 payloads', () => {
    const r = thingyReading.parse('{"timestamp":');
    expect(r.ok === false && r.error.code).toBe('PAYLOAD_ERR_JSON');
    const bin = thingyReading.parse(new Uint8Array([0xff, 0xfe]));
    expect(bin.ok === false && bin.error.message).toMatch(/not valid UTF-8/);
  });

  it('accepts both legacy key spellings for provisioning and produces camelCase', () => {
    const legacy = JSON.stringify([
      {
        DeviceId: '32666857',
        ManufacturerKey: 'kam',
        EncryptionKey: '9A25139E3244CC2E391A8EF6B915B697',
        ManufacturerDeviceKey: 'OmniPower1',
      },
      { deviceId: '12345678', manufacturerKey: 'kam', encryptionKey: '00', manufacturerDeviceKey: 'x' },
    ]);
    const r = meterProvisioning.parse(legacy);
    expect(r.ok && r.value).toEqual([
      {
        deviceId: '32666857',
        manufacturerKey: 'kam',
        encryptionKey: '9A25139E3244CC2E391A8EF6B915B697',
        manufacturerDeviceKey: 'OmniPower1',
      },
      { deviceId: '12345678', manufacturerKey: 'kam', encryptionKey: '00', manufacturerDeviceKey: 'x' },
    ]);
    const bad = meterProvisioning.parse('[{"deviceId": 32666857}]');
    expect(bad.ok === false && bad.error.path).toBe('$[0].deviceId');
  });

  it('encodes text and JSON payloads and throws on a payload that breaks the contract', () => {
    expect(gatewayAvailability.encode('online').toString()).toBe('online');
    expect(gatewayAvailability.parse('offline')).toEqual({ ok: true, value: 'offline' });
    expect(gatewayAvailability.parse('maybe').ok).toBe(false);
    const payload = {
      timestamp: isoTimestamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678))),
      id: '32666857',
      manufacturer: 'KAM',
      driver: 'omnipower',
      total_energy_consumption_kwh: 2.06,
    };
    expect(payload.timestamp).toBe('2026-01-02T03:04:05Z');
    expect(JSON.parse(meterData.encode(payload).toString())).toEqual(payload);
    expect(() => meterData.encode({ ...payload, id: 'x' })).toThrow(PayloadSchemaError);
    expect(() => meterData.encode({ ...payload, BadName: 1 } as never)).toThrow(/\$\.BadName/);
  });

  it('names the topics that carry secrets (provisioning keys, commands): the server never routes them', () => {
    expect(allContracts.filter((c) => c.carriesSecrets).map((c) => c.name)).toEqual([
      'meterProvisioning',
      'gatewayCommand',
    ]);
    expect(meterProvisioning.carriesSecrets).toBe(true);
    expect(meterData.carriesSecrets).toBe(false);
  });
});

describe('meterProvisioningProblems', () => {
  it('states what the gateway accepts per entry, with JSON paths and no key echoed', () => {
    const key = '9A25139E3244CC2E391A8EF6B915B697';
    expect(
      meterProvisioningProblems([{ deviceId: '32666857', manufacturerKey: 'kam', encryptionKey: key }]),
    ).toEqual([]);
    const problems = meterProvisioningProblems([
      { deviceId: '123', manufacturerKey: 'kam', encryptionKey: 'zz' },
      { deviceId: key, manufacturerKey: 'kam', encryptionKey: key },
    ]);
    expect(problems.map((p) => p.path)).toEqual(['$[0].deviceId', '$[0].encryptionKey', '$[1].deviceId']);
    expect(problems[0]?.message).toContain('(got "123")');
    expect(JSON.stringify(problems)).not.toContain(key);
  });
});
