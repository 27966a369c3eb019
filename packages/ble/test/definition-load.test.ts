import {
  type DeviceDefinition,
  DeviceIndex,
  defineFamily,
  type FamilyDefinition,
  formatLoadError,
  hexToBytes,
  loadDefinitions,
} from '@iotgw/ble';
import { describe, expect, it } from 'vitest';

const good: DeviceDefinition = {
  brand: 'Acme',
  model: 'Thermo',
  modelId: 'ACME-T1',
  match: { companyId: 0x1234, where: [{ length: 5 }] },
  fields: [
    { name: 'temperature_c', at: 2, type: 's16le', div: 100 },
    { name: 'battery_pct', at: 4, type: 'u8', invalid: [0xff] },
  ],
};

function family(id: string, devices: DeviceDefinition[]): FamilyDefinition {
  return defineFamily({ id, title: id, source: 'test', devices });
}

const context = { address: 'AA:BB:CC:DD:EE:FF', keys: undefined, replay: undefined };

describe('definition loading', () => {
  it('names the file and the path of a mistake, and still loads every other definition', () => {
    const broken = { ...good, modelId: 'ACME-T2', fields: [{ name: 'humidity_pct', at: 1, type: 'u17' }] };
    const loaded = loadDefinitions([
      { file: 'devices/families/acme.ts', family: family('acme', [good, broken as DeviceDefinition]) },
      {
        file: 'devices/families/other.ts',
        family: family('other', [{ ...good, modelId: 'X', match: { serviceUuid: 'FCD2' } }]),
      },
      {
        file: 'devices/families/fine.ts',
        family: family('fine', [{ ...good, modelId: 'F', match: { name: 'F1' } }]),
      },
    ]);
    expect(loaded.errors.map(formatLoadError)).toEqual([
      `devices/families/acme.ts: devices[1].fields[0].type: unknown reader type "u17"`,
      `devices/families/other.ts: devices[0].match.serviceUuid: must be 4 lower-case hex digits, got "FCD2"`,
    ]);
    expect(loaded.devices.map((d) => d.modelId)).toEqual(['ACME-T1', 'F']);
  });

  it.each([
    [{ fields: [{ name: 'Temp', at: 0, type: 'u8' }] }, 'devices[0].fields[0].name'],
    [{ fields: [{ name: 't', at: -1, type: 'u8' }] }, 'devices[0].fields[0].at'],
    [{ fields: [{ name: 't', at: 0, type: 'u8', bits: [30, 8] }] }, 'devices[0].fields[0].bits'],
    [{ fields: [{ name: 't', at: 0, type: 'u8', div: 0 }] }, 'devices[0].fields[0].div'],
    [{ fields: [{ name: 't', at: 0, type: 'u8', when: [{ at: 0 }] }] }, 'devices[0].fields[0].when[0]'],
    [{ fields: [] }, 'devices[0].fields'],
    [{ match: {} }, 'devices[0].match'],
    [{ match: { companyId: 0x10000 } }, 'devices[0].match.companyId'],
    [{ match: { name: 'x' } }, 'devices[0].match.name'],
    [{ match: { companyId: 1, where: [{ length: -1 }] } }, 'devices[0].match.where[0]'],
    [{ brand: '' }, 'devices[0].brand'],
    [{ sequenceValue: 'nope' }, 'devices[0].sequenceValue'],
  ])('refuses %j at %s', (patch, path) => {
    const loaded = loadDefinitions([
      { file: 'f.ts', family: family('f', [{ ...good, ...(patch as Partial<DeviceDefinition>) }]) },
    ]);
    expect(loaded.errors).toHaveLength(1);
    expect(loaded.errors[0]!.path).toBe(path);
    expect(loaded.errors[0]!.message.length).toBeGreaterThan(5);
  });

  it('refuses a family id used twice, naming the second file', () => {
    const loaded = loadDefinitions([
      { file: 'a.ts', family: family('same', [good]) },
      { file: 'b.ts', family: family('same', [good]) },
    ]);
    expect(loaded.errors.map(formatLoadError)).toEqual([
      "b.ts: id: family id 'same' is already used by another file",
    ]);
  });

  it('compiles fields: byte order, scale, sentinels, bits, enums and conditions', () => {
    const loaded = loadDefinitions([
      {
        file: 'f.ts',
        family: family('f', [
          {
            ...good,
            fields: [
              { name: 'a', at: 2, type: 's16be', div: 10 },
              { name: 'b', at: 2, type: 'u16le', bits: [4, 4] },
              { name: 'c', at: 4, type: 'u8', enum: { 1: 'one' } },
              { name: 'd', at: 4, type: 'u8', bool: true, when: [{ at: 4, equals: 1 }] },
              { name: 'e', at: 4, type: 'u8', when: [{ at: 4, equals: 2 }] },
              { name: 'f', at: 9, type: 'u8' },
              { name: 'g', at: 2, type: 'u8', invalid: [0xfe] },
              { name: 'h', at: 3, type: 'u8', offset: 1, scale: 3, div: 2, add: -1 },
            ],
          },
        ]),
      },
    ]);
    expect(loaded.errors).toEqual([]);
    const index = new DeviceIndex(loaded.devices);
    const r = index.decode({ address: 'x', manufacturerData: hexToBytes('3412fe0301')! }, context, undefined);
    expect(r.ok && r.result.values).toEqual({ a: -50.9, b: 0xf, c: 'one', d: true, h: 5 });
    expect(r.ok && r.device.modelId).toBe('ACME-T1');
    const wrong = index.decode(
      { address: 'x', manufacturerData: hexToBytes('3412fe03')! },
      context,
      undefined,
    );
    expect(wrong).toMatchObject({ ok: false, code: 'unknown_format' });
  });

  it('identifies by name prefix and service UUID through the index', () => {
    const loaded = loadDefinitions([
      {
        file: 'f.ts',
        family: family('f', [
          {
            ...good,
            modelId: 'N',
            match: { name: { prefix: 'Acme' } },
            fields: [{ name: 'v', at: 0, type: 'u8' }],
          },
          {
            ...good,
            modelId: 'U',
            match: { serviceUuid: 'abcd' },
            fields: [{ name: 'w', at: 0, type: 'u8' }],
          },
        ]),
      },
    ]);
    const index = new DeviceIndex(loaded.devices);
    const byName = index.decode(
      { address: 'x', localName: 'Acme 7', manufacturerData: Uint8Array.of(7) },
      context,
      undefined,
    );
    expect(byName.ok && [byName.device.modelId, byName.result.values]).toEqual(['N', { v: 7 }]);
    const byUuid = index.decode(
      {
        address: 'x',
        serviceData: [{ uuid: '0000ABCD-0000-1000-8000-00805F9B34FB', data: Uint8Array.of(9) }],
      },
      context,
      undefined,
    );
    expect(byUuid.ok && [byUuid.device.modelId, byUuid.result.values]).toEqual(['U', { w: 9 }]);
    expect(index.decode({ address: 'x', localName: 'Other' }, context, new Set(['f']))).toMatchObject({
      ok: false,
      code: 'unknown_format',
    });
  });
});
