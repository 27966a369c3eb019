import {
  buildEllTelegram,
  buildMode5Telegram,
  buildMultical21Telegram,
  buildOmnipowerTelegram,
  bytesToHex,
  crc16En13757,
  decodeTelegram,
  frameFormatCandidates,
  MeterDecodeState,
} from '@iotgw/wmbus';
import { describe, expect, it } from 'vitest';
import { bytesOf, MULTICAL_KEY, SPEC_KEY } from './support/vectors.js';

const key = bytesOf(SPEC_KEY);
const omni = (accessNumber: number, compact: boolean, kwh: number) =>
  buildOmnipowerTelegram({
    id: '32666857',
    key: SPEC_KEY,
    accessNumber,
    compact,
    values: { total_energy_consumption_kwh: kwh, current_power_consumption_kw: 0.5 },
  });

describe('decodeTelegram', () => {
  it('decodes the very first compact OmniPower frame (built-in format 0x8C13)', () => {
    const r = decodeTelegram(omni(1, true, 10.5), { key, state: new MeterDecodeState() });
    expect(r.ok && r.reading).toMatchObject({
      frame: 'compact',
      driver: 'omnipower',
      manufacturer: 'KAM',
      media: 'electricity',
      accessNumber: 1,
    });
    expect(r.ok && r.reading.values['total_energy_consumption_kwh']).toBe(10.5);
    expect(r.ok && r.reading.units['total_energy_consumption_kwh']).toBe('kWh');
  });

  it('learns a compact format from a full frame of a meter without a built-in one', () => {
    // A Multical 21 format that is not in the built-in list: total + target only, as a full frame of a meter type without a driver.
    const records = bytesOf('0413 10270000 4413 0F270000');
    const address = { manufacturer: 'ABC', id: '55667788', version: 1, deviceType: 7 };
    const full = buildEllTelegram({
      address,
      accessNumber: 1,
      key: SPEC_KEY,
      payload: Uint8Array.of(0x78, ...records),
    });
    const state = new MeterDecodeState();
    const compactPayload = bytesOf('79 0000 0000 11270000 0F270000');
    const sig = decodeTelegram(full, { key, state });
    expect(sig).toMatchObject({ ok: false, code: 'WMBUS_ERR_NO_DRIVER' });
    expect(state.learnedSignatures()).toHaveLength(1);
    const [signature] = state.learnedSignatures();
    // Fill in the real signature and data CRC the meter would send.
    const fmt = state.learnedFormat(signature ?? 0);
    expect(fmt).toBeDefined();
    expect(state.exportFormats()).toEqual(['04134413']);
    compactPayload[1] = (signature ?? 0) & 0xff;
    compactPayload[2] = (signature ?? 0) >> 8;
    const compact = buildEllTelegram({
      address,
      accessNumber: 2,
      key: SPEC_KEY,
      payload: withDataCrc(compactPayload, '0413 11270000 4413 0F270000'),
    });
    const unknown = decodeTelegram(compact, { key, state: new MeterDecodeState() });
    expect(unknown).toMatchObject({ ok: false, code: 'WMBUS_ERR_UNKNOWN_FORMAT' });
    const known = decodeTelegram(compact, { key, state });
    expect(known.ok).toBe(false);
    if (!known.ok) {
      expect(known.code).toBe('WMBUS_ERR_NO_DRIVER');
      expect(known.records?.map((r) => r.value)).toEqual([10.001, 9.999]);
    }
  });

  it('carries last-known values from earlier telegrams and updates them', () => {
    const state = new MeterDecodeState();
    const mcKey = bytesOf(MULTICAL_KEY);
    const a = decodeTelegram(
      buildMultical21Telegram({
        id: '76348799',
        key: MULTICAL_KEY,
        accessNumber: 1,
        compact: false,
        values: { total_m3: 1.5, external_temperature_c: 20 },
      }),
      { key: mcKey, state },
    );
    expect(a.ok && a.reading.values['total_m3']).toBe(1.5);
    // A telegram with fewer fields (a meter-defined format without temperatures) keeps the old temperature.
    const fewer = buildEllTelegram({
      address: { manufacturer: 'KAM', id: '76348799', version: 0x1b, deviceType: 0x16 },
      accessNumber: 2,
      key: MULTICAL_KEY,
      payload: bytesOf('78 02FF20 0000 0413 DC050000'),
    });
    const b = decodeTelegram(fewer, { key: mcKey, state });
    expect(b.ok && b.reading.values).toMatchObject({
      total_m3: 1.5,
      min_external_temperature_last_month_c: 20,
      status: 'OK',
    });
    expect(state.lastValues().values['min_external_temperature_last_month_c']).toBe(20);
  });

  it('refuses a plaintext telegram when a key is configured', () => {
    const plain = buildOmnipowerTelegram({
      id: '32666857',
      accessNumber: 3,
      compact: false,
      values: { total_energy_consumption_kwh: 1 },
    });
    expect(decodeTelegram(plain, { key })).toMatchObject({ ok: false, code: 'WMBUS_ERR_NOT_ENCRYPTED' });
    expect(decodeTelegram(plain).ok).toBe(true);
  });

  it('decrypts TPL security mode 5 and reports a wrong key through the 2F2F check', () => {
    const t = buildMode5Telegram({
      address: { manufacturer: 'KAM', id: '32666857', version: 0x30, deviceType: 0x02 },
      accessNumber: 5,
      key: SPEC_KEY,
      records: bytesOf('0404 10000000 042B 05000000'),
    });
    const r = decodeTelegram(t, { key });
    expect(r.ok && r.reading.values).toMatchObject({
      total_energy_consumption_kwh: 0.16,
      current_power_consumption_kw: 0.005,
    });
    expect(decodeTelegram(t, { key: new Uint8Array(16) })).toMatchObject({
      ok: false,
      code: 'WMBUS_ERR_WRONG_KEY',
    });
    expect(decodeTelegram(t)).toMatchObject({ ok: false, code: 'WMBUS_ERR_NO_KEY' });
  });

  it('returns the header with a failure so the caller knows which meter failed', () => {
    const r = decodeTelegram(omni(1, false, 1), { key: new Uint8Array(16) });
    expect(r).toMatchObject({
      ok: false,
      code: 'WMBUS_ERR_WRONG_KEY',
      header: { id: '32666857', manufacturer: 'KAM' },
    });
  });

  it('does not change state when a telegram fails', () => {
    const state = new MeterDecodeState();
    decodeTelegram(omni(1, false, 1), { key: new Uint8Array(16), state });
    expect(state.learnedSignatures()).toEqual([]);
    expect(state.lastValues().values).toEqual({});
  });

  it('rejects a malformed key or input without throwing', () => {
    expect(decodeTelegram(omni(1, false, 1), { key: new Uint8Array(5) })).toMatchObject({
      ok: false,
      code: 'WMBUS_ERR_INPUT',
    });
    expect(decodeTelegram('2d44' as unknown as Uint8Array)).toMatchObject({
      ok: false,
      code: 'WMBUS_ERR_INPUT',
    });
  });

  it('prefers the stripped reading of a telegram that merely ends in a valid-looking format B CRC', () => {
    // Plaintext OmniPower full frame ending in manufacturer data whose last two bytes are the format B CRC
    // of everything before them: both readings parse; the stick's (stripped) one must win.
    const head = bytesOf('11 44 2D2C 57686632 30 02 78 0404 10000000 0F 00 00');
    head[0] = head.length - 1;
    const c = crc16En13757(head, 0, head.length - 2);
    head[head.length - 2] = c >> 8;
    head[head.length - 1] = c & 0xff;
    expect(frameFormatCandidates(head)).toEqual(['stripped', 'B']);
    const r = decodeTelegram(head);
    expect(r.ok && r.reading.records.at(-1)?.value).toBe(bytesToHex(head.subarray(head.length - 2)));
  });

  it('decodes a real format B frame after the stripped reading fails', () => {
    const t = buildOmnipowerTelegram({
      id: '32666857',
      key: SPEC_KEY,
      accessNumber: 4,
      compact: false,
      dllCrc: 'B',
      values: { total_energy_consumption_kwh: 4.2 },
    });
    expect(frameFormatCandidates(t)).toEqual(['stripped', 'B']);
    const r = decodeTelegram(t, { key });
    expect(r.ok && r.reading.values['total_energy_consumption_kwh']).toBe(4.2);
  });
});

function withDataCrc(payload: Uint8Array, fullHex: string): Uint8Array {
  const c = crc16En13757(bytesOf(fullHex));
  payload[3] = c & 0xff;
  payload[4] = c >> 8;
  return payload;
}
