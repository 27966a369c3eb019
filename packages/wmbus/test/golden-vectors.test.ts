import {
  buildMultical21Telegram,
  buildOmnipowerTelegram,
  bytesToHex,
  decodeTelegram,
  type Multical21TelegramSpec,
  type OmnipowerTelegramSpec,
} from '@iotgw/wmbus';
import { describe, expect, it } from 'vitest';
import { bytesOf, optionsOf, vector, vectors } from './support/vectors.js';

describe('golden vectors (fixtures/vectors.json)', () => {
  it('every vector states its provenance', () => {
    expect(vectors.length).toBeGreaterThan(30);
    for (const v of vectors) expect(v.source.length, v.name).toBeGreaterThan(20);
  });

  it.each(vectors.map((v) => [v.name, v] as const))('%s decodes as expected', (_name, v) => {
    const r = decodeTelegram(bytesOf(v.hex), optionsOf(v));
    if (v.expect.ok) {
      expect(r.ok ? undefined : `${r.code}: ${r.detail}`).toBeUndefined();
      if (!r.ok) return;
      expect(r.reading.driver).toBe(v.expect.driver);
      expect(r.reading.id).toBe(v.expect.id);
      expect(r.reading.frame).toBe(v.expect.frame);
      expect(r.reading.values).toEqual(v.expect.values);
    } else {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.code).toBe(v.expect.code);
    }
  });

  it.each(vectors.filter((v) => v.build).map((v) => [v.name, v] as const))(
    '%s is what the builder produces',
    (_n, v) => {
      const build = v.build;
      if (build === undefined) return;
      const bytes =
        build.kind === 'omnipower'
          ? buildOmnipowerTelegram(build.spec as unknown as OmnipowerTelegramSpec)
          : buildMultical21Telegram(build.spec as unknown as Multical21TelegramSpec);
      expect(bytesToHex(bytes)).toBe(v.hex.toLowerCase());
    },
  );

  it('the spec example encrypts to the published ciphertext prefix D3A4 and has the spec sizes', () => {
    const t = bytesOf(vector('spec-omnipower-compact').hex);
    expect(bytesToHex(t.subarray(0, 19))).toBe('27442d2c5768663230028d202e21870320d3a4');
    expect(t[0]).toBe(0x27);
    expect(bytesOf(vector('omnipower-full').hex)[0]).toBe(0x2d);
    expect(bytesOf(vector('omnipower-compact').hex)[0]).toBe(0x27);
  });

  it('keeps every published wmbusmeters vector that decodes in the expected driver names', () => {
    const names = new Set<string>();
    for (const v of vectors) if (v.expect.ok) for (const k of Object.keys(v.expect.values)) names.add(k);
    for (const n of [
      'total_energy_consumption_kwh',
      'total_energy_production_kwh',
      'current_power_consumption_kw',
      'current_power_production_kw',
      'total_m3',
      'target_m3',
      'flow_temperature_c',
      'min_external_temperature_last_month_c',
      'max_flow_temperature_c',
      'min_flow_m3h',
      'current_status',
    ])
      expect(names.has(n), n).toBe(true);
  });
});
