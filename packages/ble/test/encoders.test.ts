import {
  createKeyRing,
  createReplayGuard,
  decodeAdvertisement,
  encodeBthome,
  encodeRuuviV5,
  encodeThingy52,
} from '@iotgw/ble';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const ADDRESS = 'A4:C1:38:00:00:02';
const KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

describe('encoders round-trip through decodeAdvertisement', () => {
  it('Thingy:52: every representable reading decodes to itself', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            window_open: fc.boolean(),
            humidity_pct: fc.integer({ min: 0, max: 255 }),
            temperature_c: fc.integer({ min: -32768, max: 32767 }).map((t) => t / 10),
            co2_ppm: fc.integer({ min: 0, max: 0xfffffffe }),
            battery_pct: fc.integer({ min: 0, max: 255 }),
          },
          { requiredKeys: ['window_open', 'humidity_pct', 'temperature_c', 'battery_pct'] },
        ),
        (reading) => {
          const result = decodeAdvertisement({ address: ADDRESS, manufacturerData: encodeThingy52(reading) });
          expect(result).toMatchObject({ ok: true, format: 'thingy52' });
          if (result.ok) expect(result.values).toStrictEqual({ ...reading });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('Ruuvi format 5: every representable reading decodes to itself, absent fields stay absent', () => {
    const field = <T>(arb: fc.Arbitrary<T>) => arb;
    fc.assert(
      fc.property(
        fc.record(
          {
            temperature_c: field(fc.integer({ min: -32767, max: 32767 }).map((t) => (t * 5) / 1000)),
            humidity_pct: field(fc.integer({ min: 0, max: 65534 }).map((h) => (h * 25) / 10000)),
            pressure_hpa: field(fc.integer({ min: 0, max: 65534 }).map((p) => (p + 50000) / 100)),
            acceleration_x_mg: fc.integer({ min: -32767, max: 32767 }),
            acceleration_y_mg: fc.integer({ min: -32767, max: 32767 }),
            acceleration_z_mg: fc.integer({ min: -32767, max: 32767 }),
            voltage_v: fc.integer({ min: 0, max: 2046 }).map((b) => (b + 1600) / 1000),
            tx_power_dbm: fc.integer({ min: 0, max: 30 }).map((t) => -40 + 2 * t),
            movement_counter: fc.integer({ min: 0, max: 254 }),
            measurement_sequence: fc.integer({ min: 0, max: 65534 }),
            mac: fc
              .uint8Array({ minLength: 6, maxLength: 6 })
              .filter((b) => b.some((x) => x !== 0xff))
              .map((b) => [...b].map((x) => x.toString(16).padStart(2, '0').toUpperCase()).join(':')),
          },
          { requiredKeys: ['temperature_c'] },
        ),
        (reading) => {
          const result = decodeAdvertisement({ address: ADDRESS, manufacturerData: encodeRuuviV5(reading) });
          expect(result).toMatchObject({ ok: true, format: 'ruuvi_v5' });
          if (!result.ok) return;
          expect(result.values).toStrictEqual({ ...reading });
          expect(result.sequence).toBe(reading.measurement_sequence);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('BTHome plain: integer-scaled values and events round-trip', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: -32768, max: 32767 }),
        fc.integer({ min: 0, max: 65535 }),
        fc.boolean(),
        fc.constantFrom('press', 'double_press', 'long_press', 'hold_press'),
        fc.string({ maxLength: 12 }),
        (packetId, t, h, open, button, text) => {
          const data = encodeBthome([
            { id: 0x00, value: packetId },
            { id: 0x02, value: t / 100 },
            { id: 0x03, value: h / 100 },
            { id: 0x2d, value: open },
            { id: 0x3a, value: button },
            { id: 0x53, value: text },
          ]);
          const result = decodeAdvertisement({ address: ADDRESS, serviceData: [{ uuid: 'fcd2', data }] });
          expect(result).toMatchObject({ ok: true, format: 'bthome_v2', sequence: packetId });
          if (!result.ok) return;
          expect(result.values).toStrictEqual({
            packet_id: packetId,
            temperature_c: t / 100,
            humidity_pct: h / 100,
            window_open: open,
            button_event: button,
            text: new TextDecoder().decode(new TextEncoder().encode(text)),
          });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('BTHome encrypted: decrypts with the key, sequence = counter without a packet id', () => {
    const keys = createKeyRing({ [ADDRESS]: KEY });
    const replay = createReplayGuard();
    for (const counter of [1, 2, 255, 256, 0x01000000, 0xfffffffe]) {
      const data = encodeBthome([{ id: 0x02, value: 21.5 }], {
        key: keys.get(ADDRESS)!,
        address: ADDRESS,
        counter,
      });
      const result = decodeAdvertisement(
        { address: ADDRESS, serviceData: [{ uuid: 'fcd2', data }] },
        { keys, replay },
      );
      expect(result).toStrictEqual({
        ok: true,
        format: 'bthome_v2',
        address: ADDRESS,
        brand: 'BTHome',
        model: 'BTHome v2 sensor',
        modelId: 'BTHOME_V2',
        values: { temperature_c: 21.5 },
        sequence: counter,
      });
    }
  });

  it('BTHome encrypted with the trigger flag uses the actual info byte (0x45) in the nonce', () => {
    const keys = createKeyRing({ [ADDRESS]: KEY });
    const data = encodeBthome([{ id: 0x3a, value: 'press' }], {
      key: keys.get(ADDRESS)!,
      address: ADDRESS,
      counter: 9,
      trigger: true,
    });
    expect(data[0]).toBe(0x45);
    expect(
      decodeAdvertisement({ address: ADDRESS, serviceData: [{ uuid: 'fcd2', data }] }, { keys }),
    ).toMatchObject({
      ok: true,
      values: { button_event: 'press' },
    });
    const forged = Uint8Array.from(data);
    forged[0] = 0x41; // same bytes, other info byte: the nonce differs, so the MIC must fail
    expect(
      decodeAdvertisement({ address: ADDRESS, serviceData: [{ uuid: 'fcd2', data: forged }] }, { keys }),
    ).toMatchObject({ ok: false, code: 'decrypt_failed' });
  });

  it('refuses to encode what BTHome cannot carry', () => {
    expect(() => encodeBthome([{ id: 0x3b, value: 1 }])).toThrow(
      expect.objectContaining({ code: 'BLE_ERR_CONFIG' }),
    );
    expect(() => encodeBthome([{ id: 0x02, value: 1 }], { key: new Uint8Array(16) })).toThrow(
      expect.objectContaining({ code: 'BLE_ERR_CONFIG' }),
    );
  });
});
