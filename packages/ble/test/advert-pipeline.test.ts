import { AdvertPipeline, encodeBthome, encodeRuuviV5, encodeThingy52, hexToBytes } from '@iotgw/ble';
import { describe, expect, it } from 'vitest';

const T0 = 1_764_000_000_000;
const THINGY = 'F4:3C:21:0A:9B:11';
const SECURE = '54:48:E6:8F:80:A5';
const KEY = '231d39c1d7cc1ab1aee224cd096db932';

const thingy = (temperature: number) =>
  encodeThingy52({
    window_open: false,
    humidity_pct: 40,
    temperature_c: temperature,
    co2_ppm: 500,
    battery_pct: 90,
  });

describe('AdvertPipeline', () => {
  it('emits readings, drops radio repeats, counts everything', () => {
    let now = T0;
    const pipeline = new AdvertPipeline({ now: () => now });
    const adv = { address: THINGY.toLowerCase(), rssi: -60, manufacturerData: thingy(21.5) };
    const first = pipeline.process(adv);
    expect(first).toEqual({
      kind: 'reading',
      reading: {
        format: 'thingy52',
        address: THINGY,
        brand: 'Nordic Semiconductor',
        model: 'Thingy:52 (custom firmware)',
        modelId: 'THINGY52',
        rssi: -60,
        values: { window_open: false, humidity_pct: 40, temperature_c: 21.5, co2_ppm: 500, battery_pct: 90 },
        receivedAt: T0,
      },
    });
    now += 20;
    expect(pipeline.process(adv)).toEqual({ kind: 'duplicate' });
    now += 10_000;
    expect(pipeline.process(adv).kind).toBe('reading');
    expect(
      pipeline.process({ address: 'AA:BB:CC:DD:EE:FF', manufacturerData: hexToBytes('4c000215')! }),
    ).toMatchObject({
      kind: 'refused',
      code: 'unknown_format',
    });
    expect(pipeline.counters()).toEqual({
      seen: 4,
      decoded: 3,
      duplicates: 1,
      filtered: 0,
      refused: 1,
      byFormat: { thingy52: 2 },
      refusedByCode: { unknown_format: 1 },
    });
  });

  it('uses the advert time (scanners set it) for de-duplication and receivedAt', () => {
    const pipeline = new AdvertPipeline({ now: () => 0 });
    const adv = { address: THINGY, manufacturerData: thingy(20) };
    expect(pipeline.process({ ...adv, time: T0 })).toMatchObject({
      kind: 'reading',
      reading: { receivedAt: T0 },
    });
    expect(pipeline.process({ ...adv, time: T0 + 9_999 }).kind).toBe('duplicate');
    expect(pipeline.process({ ...adv, time: T0 + 10_000 }).kind).toBe('reading');
  });

  it('filters before decoding', () => {
    const pipeline = new AdvertPipeline({ allow: [THINGY], minRssi: -90 });
    expect(pipeline.process({ address: 'F4:3C:21:0A:9B:12', manufacturerData: thingy(1) })).toEqual({
      kind: 'filtered',
      reason: 'not_allowed',
    });
    expect(pipeline.process({ address: THINGY, rssi: -95, manufacturerData: thingy(1) })).toEqual({
      kind: 'filtered',
      reason: 'weak_signal',
    });
    expect(pipeline.counters()).toMatchObject({ seen: 2, filtered: 2, decoded: 0 });
  });

  it('decrypts with keys given as a record in any case, refuses replays and downgrades', () => {
    const pipeline = new AdvertPipeline({ keys: { [SECURE.toLowerCase()]: KEY }, now: () => T0 });
    const encrypted = (counter: number) => ({
      address: SECURE,
      serviceData: [
        {
          uuid: 'fcd2',
          data: encodeBthome([{ id: 0x02, value: 25.06 }], {
            key: hexToBytes(KEY)!,
            address: SECURE,
            counter,
          }),
        },
      ],
    });
    expect(pipeline.process(encrypted(5))).toMatchObject({
      kind: 'reading',
      reading: { format: 'bthome_v2', values: { temperature_c: 25.06 }, sequence: 5 },
    });
    expect(pipeline.process(encrypted(5)).kind).toBe('duplicate'); // same packet on another channel
    expect(pipeline.process(encrypted(4))).toMatchObject({ kind: 'refused', code: 'replay' });
    const plain = {
      address: SECURE,
      serviceData: [{ uuid: 'fcd2', data: encodeBthome([{ id: 0x02, value: 99 }]) }],
    };
    expect(pipeline.process(plain)).toMatchObject({ kind: 'refused', code: 'downgrade' });
    expect(pipeline.process(encrypted(6)).kind).toBe('reading');
    expect(pipeline.counters().refusedByCode).toEqual({ replay: 1, downgrade: 1 });
    // The device's battery was changed: its counter restarts. Refused until the operator resets it.
    expect(pipeline.process(encrypted(1))).toMatchObject({ kind: 'refused', code: 'replay' });
    pipeline.forgetDevice(SECURE.toLowerCase());
    expect(pipeline.process(encrypted(1))).toMatchObject({ kind: 'reading', reading: { sequence: 1 } });
  });

  it('decodes only the configured formats', () => {
    const pipeline = new AdvertPipeline({ formats: ['ruuvi_v5'] });
    expect(pipeline.process({ address: THINGY, manufacturerData: thingy(1) })).toMatchObject({
      kind: 'refused',
      code: 'unknown_format',
    });
    const ruuvi = encodeRuuviV5({ temperature_c: 1, measurement_sequence: 3 });
    expect(pipeline.process({ address: 'C5:1A:2B:3C:4D:5E', manufacturerData: ruuvi })).toMatchObject({
      kind: 'reading',
      reading: { sequence: 3 },
    });
  });

  it('applies per-format de-duplication windows', () => {
    let now = T0;
    const pipeline = new AdvertPipeline({ now: () => now, dedupWindowByFormat: { thingy52: 1000 } });
    const adv = { address: THINGY, manufacturerData: thingy(1) };
    pipeline.process(adv);
    now += 1000;
    expect(pipeline.process(adv).kind).toBe('reading');
  });

  it('bounds per-device state by maxDevices', () => {
    const pipeline = new AdvertPipeline({ maxDevices: 100 });
    for (let i = 0; i < 1000; i++) {
      const address = `C5:1A:2B:3C:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
      pipeline.process({
        address,
        manufacturerData: encodeRuuviV5({ temperature_c: 1, measurement_sequence: 1 }),
      });
    }
    expect(pipeline.trackedDevices).toBe(100);
    expect(pipeline.counters().byFormat).toEqual({ ruuvi_v5: 1000 });
  });

  it('validates its options with stable codes', () => {
    expect(() => new AdvertPipeline({ keys: { [SECURE]: 'abcd' } })).toThrow(
      expect.objectContaining({ code: 'BLE_ERR_KEY' }),
    );
    expect(() => new AdvertPipeline({ keys: { kitchen: KEY } })).toThrow(
      expect.objectContaining({ code: 'BLE_ERR_CONFIG' }),
    );
    expect(() => new AdvertPipeline({ formats: ['no_such_format' as 'thingy52'] })).toThrow(
      expect.objectContaining({ code: 'BLE_ERR_CONFIG' }),
    );
    expect(() => new AdvertPipeline({ deny: ['nope'] })).toThrow(
      expect.objectContaining({ code: 'BLE_ERR_CONFIG' }),
    );
  });
});
