import { existsSync } from 'node:fs';
import {
  createKeyRing,
  createReplayGuard,
  type DecodeOptions,
  decodeAdvertisement,
  FORMAT_IDS,
  hexToBytes,
} from '@iotgw/ble';
import { describe, expect, it } from 'vitest';
import { fixturesDir, type GoldenVector, loadVectors } from './fixture-vectors.js';

function options(v: GoldenVector, plainMap = false): DecodeOptions {
  if (v.key === undefined) return {};
  const address = v.keyAddress ?? v.advert.address;
  const key = hexToBytes(v.key)!;
  // A plain Map with lower-case MACs must work as well as a KeyRing.
  return { keys: plainMap ? new Map([[address.toLowerCase(), key]]) : createKeyRing({ [address]: key }) };
}

function check(v: GoldenVector, opts: DecodeOptions): void {
  const result = decodeAdvertisement(v.advert, opts);
  if (v.expect.ok) {
    expect(result, v.source).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(result.values).toStrictEqual(v.expect.values);
    expect(result.sequence).toBe(v.expect.sequence);
    expect(result.address).toBe(v.expect.address ?? v.advert.address.toUpperCase());
  } else {
    expect(result, v.source).toMatchObject({ ok: false, code: v.expect.code });
    if (!result.ok) expect(result.detail.length).toBeGreaterThan(0);
  }
}

// Families with a golden-vector file (the others are held to Theengs' adverts in theengs/theengs.test.ts).
const WITH_GOLDEN = FORMAT_IDS.filter((f) => existsSync(`${fixturesDir}${f}.json`));

describe.each(WITH_GOLDEN)('golden vectors: %s', (format) => {
  const vectors = loadVectors(format);

  it.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    check(v, options(v));
  });

  it('decodes the keyed vectors with a plain Map keyed by lower-case MACs too', () => {
    for (const v of vectors.filter((x) => x.key !== undefined)) check(v, options(v, true));
  });

  it('decodes every vector the same with a fresh replay guard (first sight of each device)', () => {
    for (const v of vectors) check(v, { ...options(v), replay: createReplayGuard() });
  });
});

describe('Ruuvi official vectors, field by field', () => {
  it('valid case: power info 0xAC36 is 2977 mV and +4 dBm (Ruuvi worked example)', () => {
    const valid = loadVectors('ruuvi_v5').find((v) => v.name === 'valid')!;
    const result = decodeAdvertisement(valid.advert);
    expect(result.ok && result.values.voltage_v).toBe(2.977);
    expect(result.ok && result.values.tx_power_dbm).toBe(4);
    expect(result.ok && result.values.temperature_c).toBe(24.3);
  });

  it('invalid case: no value is reported as zero', () => {
    const invalid = loadVectors('ruuvi_v5').find((v) => v.name === 'invalid values')!;
    expect(decodeAdvertisement(invalid.advert)).toMatchObject({ ok: false, code: 'no_values' });
  });
});
