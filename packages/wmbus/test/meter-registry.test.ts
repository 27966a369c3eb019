import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { meterConfig, meterStatus } from '@iotgw/contracts';
import {
  buildEllTelegram,
  buildMultical21Telegram,
  buildOmnipowerTelegram,
  FileRegistryStore,
  MemoryRegistryStore,
  MeterRegistry,
} from '@iotgw/wmbus';
import { describe, expect, it } from 'vitest';
import { bytesOf, MULTICAL_KEY, SPEC_KEY } from './support/vectors.js';

const WRONG = '00112233445566778899AABBCCDDEEFF';
const NOW = Date.parse('2026-06-04T10:32:48Z');
const meta = { rssiDbm: -84, receivedAt: NOW - 8_000 };

const omni = (id: string, key: string | undefined, acc: number, compact = false) =>
  buildOmnipowerTelegram({
    id,
    ...(key ? { key } : {}),
    accessNumber: acc,
    compact,
    values: { total_energy_consumption_kwh: 2.06 + acc / 100, current_power_consumption_kw: 0.003 },
  });

async function registry(entries: unknown[]): Promise<MeterRegistry> {
  const r = new MeterRegistry({ store: new MemoryRegistryStore(), now: () => NOW });
  await r.replace(entries as never);
  return r;
}

describe('MeterRegistry', () => {
  it('validates every entry on its own and never echoes a key', async () => {
    const r = new MeterRegistry({ store: new MemoryRegistryStore(), now: () => NOW });
    const statuses = await r.replace([
      {
        deviceId: '32666857',
        manufacturerKey: 'kam',
        encryptionKey: SPEC_KEY,
        manufacturerDeviceKey: 'OmniPower1',
      },
      { deviceId: '1234567', manufacturerKey: 'kam', encryptionKey: SPEC_KEY },
      { deviceId: '76348799', manufacturerKey: 'kam', encryptionKey: 'XYZ' + SPEC_KEY.slice(3) },
      { deviceId: '76348799', manufacturerKey: 'kam' },
      { deviceId: '11111111', encryptionKey: SPEC_KEY },
      { deviceId: SPEC_KEY, manufacturerKey: 'kam', encryptionKey: SPEC_KEY },
      { deviceId: '32666857', manufacturerKey: 'kam', encryptionKey: SPEC_KEY },
      {
        deviceId: '22222222',
        manufacturerKey: 'kam',
        encryptionKey: MULTICAL_KEY,
        manufacturerDeviceKey: `x${MULTICAL_KEY}`,
      },
      'nonsense',
      { deviceId: '33333333', manufacturerKey: 'k/m', encryptionKey: SPEC_KEY },
    ] as never);
    expect(statuses.map((s) => [s.index, s.status, s.reason])).toEqual([
      [0, 'never_heard', undefined],
      [1, 'invalid', 'deviceId must be 8 digits'],
      [2, 'invalid', 'encryptionKey must be 32 hex digits (AES-128)'],
      [3, 'invalid', 'encryptionKey is missing'],
      [4, 'invalid', 'manufacturerKey is missing'],
      [5, 'invalid', 'deviceId must be 8 digits'],
      [6, 'invalid', 'duplicate deviceId (already at index 0)'],
      [7, 'invalid', expect.stringContaining('must not look like a key')],
      [8, 'invalid', 'entry is not an object'],
      [9, 'invalid', expect.stringContaining('used in topics')],
    ]);
    const report = JSON.stringify(r.statusReport());
    for (const k of [SPEC_KEY, MULTICAL_KEY, SPEC_KEY.slice(3)]) expect(report).not.toContain(k);
    expect(meterStatus.validate(r.statusReport()).ok).toBe(true);
    expect(JSON.stringify(r.meters())).not.toContain(SPEC_KEY);
    expect(Object.keys(r.meters()[0] ?? {})).not.toContain('encryptionKey');
  });

  it('reports ok with last seen time and RSSI, and carries values', async () => {
    const r = await registry([{ deviceId: '32666857', manufacturerKey: 'kam', encryptionKey: SPEC_KEY }]);
    const first = r.handleTelegram(omni('32666857', SPEC_KEY, 1), meta);
    expect(first).toMatchObject({
      kind: 'reading',
      statusChanged: true,
      entry: { deviceId: '32666857', hasKey: true },
    });
    const second = r.handleTelegram(omni('32666857', SPEC_KEY, 2, true), meta);
    expect(second).toMatchObject({ kind: 'reading', statusChanged: false });
    if (second.kind === 'reading') expect(second.reading.values['total_energy_consumption_kwh']).toBe(2.08);
    expect(r.statusReport().meters[0]).toEqual({
      deviceId: '32666857',
      manufacturerKey: 'kam',
      index: 0,
      status: 'ok',
      driver: 'omnipower',
      lastSeen: '2026-06-04T10:32:40Z',
      rssi_dbm: -84,
      telegrams: 2,
    });
  });

  it('reports a wrong key once (statusChanged only on the first telegram), then keeps the state', async () => {
    const r = await registry([{ deviceId: '32666857', manufacturerKey: 'kam', encryptionKey: WRONG }]);
    const outcomes = [1, 2, 3].map((acc) => r.handleTelegram(omni('32666857', SPEC_KEY, acc), meta));
    expect(outcomes.map((o) => (o.kind === 'failed' ? [o.code, o.statusChanged] : o.kind))).toEqual([
      ['WMBUS_ERR_WRONG_KEY', true],
      ['WMBUS_ERR_WRONG_KEY', false],
      ['WMBUS_ERR_WRONG_KEY', false],
    ]);
    expect(r.statusReport().meters[0]).toMatchObject({ status: 'wrong_key', telegrams: 3 });
    expect(JSON.stringify(outcomes)).not.toContain(WRONG);
    // Re-provisioned with the right key: starts over and reads.
    await r.replace([{ deviceId: '32666857', manufacturerKey: 'kam', encryptionKey: SPEC_KEY }]);
    expect(r.statusReport().meters[0]).toMatchObject({ status: 'never_heard' });
    expect(r.handleTelegram(omni('32666857', SPEC_KEY, 4), meta).kind).toBe('reading');
  });

  it('refuses a plaintext telegram from a meter with a key (not_encrypted)', async () => {
    const r = await registry([{ deviceId: '32666857', manufacturerKey: 'kam', encryptionKey: SPEC_KEY }]);
    const o = r.handleTelegram(omni('32666857', undefined, 1), meta);
    expect(o).toMatchObject({ kind: 'failed', code: 'WMBUS_ERR_NOT_ENCRYPTED' });
    expect(r.statusReport().meters[0]).toMatchObject({ status: 'not_encrypted' });
  });

  it('ignores and counts foreign meters and garbage', async () => {
    const r = await registry([{ deviceId: '32666857', manufacturerKey: 'kam', encryptionKey: SPEC_KEY }]);
    expect(r.handleTelegram(omni('11223344', SPEC_KEY, 1), meta)).toMatchObject({
      kind: 'ignored',
      reason: 'not_monitored',
    });
    r.handleTelegram(omni('11223344', SPEC_KEY, 2), meta);
    r.handleTelegram(omni('55667788', SPEC_KEY, 2), meta);
    expect(r.handleTelegram(new Uint8Array([1, 2, 3]), meta)).toMatchObject({
      kind: 'ignored',
      reason: 'unparseable',
    });
    r.handleTelegram(omni('32666857', SPEC_KEY, 3), meta);
    expect(r.counters()).toEqual({
      telegrams: 5,
      readings: 1,
      failed: 0,
      ignoredNotMonitored: 3,
      ignoredUnparseable: 1,
      foreignMeters: 2,
      failures: {},
    });
  });

  it('reports undecodable meters with the reason and the generic records', async () => {
    const r = await registry([{ deviceId: '76348799', manufacturerKey: 'kam', encryptionKey: SPEC_KEY }]);
    // A Multical 21 id carried by a meter type without driver: KAM version 0x1b but type 0x03 (gas).
    const t = buildEllTelegram({
      address: { manufacturer: 'KAM', id: '76348799', version: 0x1b, deviceType: 0x03 },
      accessNumber: 1,
      key: SPEC_KEY,
      payload: bytesOf('78 0413 E8030000 426C 812A'),
    });
    const o = r.handleTelegram(t, meta);
    expect(o).toMatchObject({ kind: 'failed', code: 'WMBUS_ERR_NO_DRIVER', statusChanged: true });
    if (o.kind === 'failed') expect(o.records?.map((x) => x.value)).toEqual([1, '2020-10-01']);
    expect(r.statusReport().meters[0]).toMatchObject({
      status: 'undecodable',
      reason: expect.stringContaining('no driver for KAM'),
    });
  });

  it('gives the meter config from the driver (guessed from manufacturerDeviceKey before it is heard), never the key', async () => {
    const r = await registry([
      {
        deviceId: '32666857',
        manufacturerKey: 'kam',
        encryptionKey: SPEC_KEY,
        manufacturerDeviceKey: 'OmniPower1',
      },
      {
        deviceId: '76348799',
        manufacturerKey: 'kam',
        encryptionKey: MULTICAL_KEY,
        manufacturerDeviceKey: 'House',
      },
    ]);
    const cfg = r.configFor('32666857');
    expect(cfg).toEqual({
      timestamp: '2026-06-04T10:32:48Z',
      deviceId: '32666857',
      manufacturerKey: 'kam',
      manufacturerDeviceKey: 'OmniPower1',
      driver: 'omnipower',
      media: 'electricity',
      encrypted: true,
      fields: [
        { name: 'total_energy_consumption_kwh', unit: 'kWh', quantity: 'energy' },
        { name: 'total_energy_production_kwh', unit: 'kWh', quantity: 'energy' },
        { name: 'current_power_consumption_kw', unit: 'kW', quantity: 'power' },
        { name: 'current_power_production_kw', unit: 'kW', quantity: 'power' },
      ],
    });
    expect(meterConfig.validate(cfg).ok).toBe(true);
    expect(r.configFor('76348799')?.fields).toEqual([]);
    r.handleTelegram(
      buildMultical21Telegram({
        id: '76348799',
        key: MULTICAL_KEY,
        accessNumber: 1,
        compact: false,
        values: { total_m3: 1 },
      }),
      meta,
    );
    expect(r.configFor('76348799')).toMatchObject({ driver: 'kamwater', media: 'cold water' });
    expect(JSON.stringify(r.configFor('76348799'))).not.toContain(MULTICAL_KEY);
    expect(r.configFor('99999999')).toBeUndefined();
  });

  it('persists the list (file mode 0600) and restores it on load', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iotgw-wmbus-reg-'));
    try {
      const path = join(dir, 'meters.json');
      const a = new MeterRegistry({ store: new FileRegistryStore(path), now: () => NOW });
      await a.replace([
        { deviceId: '32666857', manufacturerKey: 'kam', encryptionKey: SPEC_KEY.toLowerCase() },
        { deviceId: 'bad', manufacturerKey: 'kam', encryptionKey: SPEC_KEY },
      ]);
      const b = new MeterRegistry({ store: new FileRegistryStore(path), now: () => NOW });
      const statuses = await b.load();
      expect(statuses.map((s) => [s.deviceId, s.status])).toEqual([
        ['32666857', 'never_heard'],
        ['bad', 'invalid'],
      ]);
      expect(b.handleTelegram(omni('32666857', SPEC_KEY, 1), meta).kind).toBe('reading');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
