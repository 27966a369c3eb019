import {
  builtInDriverRegistry,
  builtInDrivers,
  compactFormatFromHex,
  DriverRegistry,
  omnipower,
  runDriverTests,
} from '@iotgw/wmbus';
import { describe, expect, it } from 'vitest';
import { vectors } from './support/vectors.js';

describe('driver registry (invariants over every built-in driver)', () => {
  it('has unique names, aliases and (manufacturer, version, type) tuples', () => {
    const names = builtInDrivers.flatMap((d) => [d.name, ...d.aliases]);
    expect(new Set(names).size).toBe(names.length);
    const tuples = builtInDrivers.flatMap((d) =>
      d.detect.map((t) => `${t.manufacturer}/${t.version}/${t.deviceType}`),
    );
    expect(new Set(tuples).size).toBe(tuples.length);
    expect(() => new DriverRegistry([omnipower, omnipower])).toThrow(/registered twice/);
  });

  it('every built-in compact format parses and signatures are unique per driver', () => {
    for (const d of builtInDrivers) {
      const sigs = d.compactFormats.map((hex) => {
        const f = compactFormatFromHex(hex);
        expect(f.ok, `${d.name} ${hex}`).toBe(true);
        return f.ok ? f.format.signature : -1;
      });
      expect(new Set(sigs).size).toBe(sigs.length);
    }
  });

  it('every field name carries its unit suffix and snake_case', () => {
    for (const d of builtInDrivers)
      for (const f of d.fields) {
        expect(f.name).toMatch(/^[a-z][a-z0-9_]*$/);
        if (f.unit === 'kWh') expect(f.name).toMatch(/_kwh$/);
        if (f.unit === 'kW') expect(f.name).toMatch(/_kw$/);
        if (f.unit === 'm3') expect(f.name).toMatch(/_m3$/);
        if (f.unit === 'm3/h') expect(f.name).toMatch(/_m3h$/);
        if (f.unit === 'C') expect(f.name).toMatch(/_c$/);
      }
  });

  it('every declared field appears in the output of a golden vector or an embedded test', () => {
    for (const d of builtInDrivers) {
      const seen = new Set<string>();
      for (const v of vectors)
        if (v.expect.ok && v.expect.driver === d.name)
          for (const k of Object.keys(v.expect.values)) seen.add(k);
      for (const t of d.tests ?? []) for (const k of Object.keys(t.expected)) seen.add(k);
      const missing = d.fields.map((f) => f.name).filter((n) => !seen.has(n));
      expect(missing, d.name).toEqual([]);
    }
  });

  it('field quantities name what the record measures, as meter configs carried them before driver files', () => {
    const kam = builtInDriverRegistry.byName('kamwater');
    const q = (n: string) => kam?.fields.find((f) => f.name === n)?.quantity;
    expect([q('total_m3'), q('flow_m3h'), q('flow_temperature_c'), q('target_date')]).toEqual([
      'volume',
      'volume_flow',
      'flow_temperature',
      'date',
    ]);
  });

  it('finds OmniPower by KAM/0x30/0x02 and kamwater by its aliases', () => {
    expect(builtInDriverRegistry.find('KAM', 0x30, 0x02)?.name).toBe('omnipower');
    expect(builtInDriverRegistry.byName('Multical21')?.name).toBe('kamwater');
    expect(builtInDriverRegistry.find('KAM', 0x30, 0x03)).toBeUndefined();
  });
});

describe('built-in driver files', () => {
  it('there are at least 40, covering water, heat, HCA, electricity and gas', () => {
    expect(builtInDrivers.length).toBeGreaterThanOrEqual(40);
    const media = new Set(builtInDrivers.map((d) => d.media));
    for (const m of ['water', 'heat', 'heat cost allocation', 'electricity', 'gas'])
      expect(media).toContain(m);
  });

  it('every built-in driver has embedded tests and they all pass', () => {
    for (const d of builtInDrivers) {
      const results = runDriverTests(d);
      expect(results.length, d.name).toBeGreaterThan(0);
      expect(
        results.filter((r) => !r.ok).map((r) => `${d.name} test ${r.index + 1}: ${r.differences.join('; ')}`),
      ).toEqual([]);
    }
  });
});
