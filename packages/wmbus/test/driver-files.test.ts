import { join } from 'node:path';
import {
  builtInDrivers,
  decodeTelegram,
  hexToBytes,
  mergeDrivers,
  runDriverTests,
  validateDriverSpec,
  wmbusmetersJson,
} from '@iotgw/wmbus';
import { formatDriverProblem, loadDriverFiles, parseDriverFile, parseXmq } from '@iotgw/wmbus/driver-files';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from './support/vectors.js';

const good = join(fixturesDir, 'drivers', 'good');
const bad = join(fixturesDir, 'drivers', 'bad');

describe('driver files (JSON / YAML / wmbusmeters xmq)', () => {
  it('loads a YAML and an xmq driver and their embedded tests pass', () => {
    const report = loadDriverFiles([good]);
    expect(report.problems).toEqual([]);
    expect(report.drivers.map((d) => d.driver.name)).toEqual(['testheat', 'testwater']);
    for (const { driver } of report.drivers) {
      const results = runDriverTests(driver);
      expect(results.length).toBe(driver.name === 'testheat' ? 2 : 1);
      expect(results.filter((r) => !r.ok).map((r) => r.differences)).toEqual([]);
    }
    // The ixml field is left out with a warning naming the file and line.
    expect(report.warnings.map(formatDriverProblem)).toEqual([
      expect.stringMatching(/testheat\.xmq:52: \/fields\/4: field payload: ixml is not supported; left out/),
    ]);
  });

  it('reports every bad file with file, line and JSON path, and still loads the good ones', () => {
    const report = loadDriverFiles([bad, good]);
    const lines = report.problems.map(formatDriverProblem);
    expect(lines).toEqual([
      expect.stringMatching(/bad-range\.yaml:8: \/fields\/0\/match\/vifRange: unknown VIF range 'Volumes'$/),
      expect.stringMatching(/bad-syntax\.xmq:\d+: \/: xmq syntax: missing }$/),
      expect.stringMatching(/bad-type\.json:6: \/fields\/1\/quantity: must be one of Energy, /),
    ]);
    expect(report.drivers.map((d) => d.driver.name).sort()).toEqual(['omnipower', 'testheat', 'testwater']);
  });

  it('a user driver with a built-in name replaces it', () => {
    const report = loadDriverFiles([join(bad, 'omnipower.yaml')]);
    const merged = mergeDrivers(
      builtInDrivers,
      report.drivers.map((d) => d.driver),
    );
    expect(merged.replaced).toEqual(['omnipower']);
    expect(merged.conflicts).toEqual([]);
    const t = hexToBytes(
      '2d442d2c5768663230028d202dd0020020cd3bf30dd118297402d88318655739d1b5b86c546d26f024eac2975890',
    ) as Uint8Array;
    const r = decodeTelegram(t, {
      key: hexToBytes('9A25139E3244CC2E391A8EF6B915B697') as Uint8Array,
      drivers: merged.registry,
    });
    expect(r.ok && r.reading.values).toEqual({ total_energy_consumption_mj: expect.any(Number) });
  });

  it('a failing embedded test names the differing field', () => {
    const text = `name: wrongwater
detect: [{ mfct: TST, version: 1, type: 7 }]
library: [total_m3]
tests:
  - telegrams: ['31447452785634120107 7A010000 0413E8030000']
    expected: { total_m3: 2, _: telegram, media: water, meter: wrongwater, id: '12345678' }
fields: []
`;
    const p = parseDriverFile('wrong.yaml', text);
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    const [r] = runDriverTests(p.driver);
    expect(r?.ok).toBe(false);
    expect(r?.differences).toContainEqual(expect.stringMatching(/^telegram 1: WMBUS_ERR_LENGTH/));
  });

  it('validates driver objects purely, with JSON paths', () => {
    const v = validateDriverSpec({
      name: 'x',
      detect: [],
      fields: [{ name: 'a', quantity: 'Volume', extra: 1 }],
    });
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.problems).toEqual(
      expect.arrayContaining([
        { path: '/detect', message: 'must NOT have fewer than 1 items' },
        { path: '/fields/0', message: "unknown key 'extra'" },
      ]),
    );
  });

  it('reads xmq force_scale fractions; a scale that is no finite number is refused', () => {
    const xmq = `driver { name = frac detect { mvt = TST,0c,07 } fields { field { name = run quantity = Time
      vif_scaling = None force_scale = 1/60 display_unit = h match { difvifkey = 04FF21 } } } }`;
    const p = parseDriverFile('frac.xmq', xmq);
    if (!p.ok) throw new Error(JSON.stringify(p.problems));
    const t = hexToBytes('1544 7452 78563412 0C 07 7A 01 00 0000 04FF21 B4000000') as Uint8Array;
    const r = decodeTelegram(t, { driver: p.driver });
    expect(r.ok && r.reading.values).toEqual({ run_h: 3 });
    const bad = parseDriverFile('nan.xmq', xmq.replace('1/60', 'x'));
    expect(bad.ok ? [] : bad.problems.map((x) => `${x.line}: ${x.path}: ${x.message}`)).toEqual([
      '2: /fields/0/forceScale: must be a finite number',
    ]);
  });

  it('parses xmq quoting and comments', () => {
    const x = parseXmq("a { b = 'x y'\n c = '''it's'''\n // note\n d = '' /* e = 1 */ f = bare }");
    expect(x).toEqual({
      ok: true,
      nodes: [
        {
          key: 'a',
          line: 1,
          children: [
            { key: 'b', value: 'x y', line: 1 },
            { key: 'c', value: "it's", line: 2 },
            { key: 'd', value: '', line: 4 },
            { key: 'f', value: 'bare', line: 4 },
          ],
        },
      ],
    });
    expect(parseXmq("a {\n b = 'open\n")).toMatchObject({ ok: false, line: 2 });
  });
});

describe('driver semantics carried over from wmbusmeters', () => {
  const text = `name: semantics
detect: [{ mfct: TST, version: 9, type: 7 }]
tplStatusLookups:
  - { name: TPL_MFCT, mapType: BitToString, maskBits: 0xe0, map: [{ name: TAMPER, value: 0x40 }] }
fields:
  - { name: status, quantity: Text, attributes: [STATUS, INCLUDE_TPL_STATUS] }
  - { name: reset, quantity: PointInTime, displayUnit: date, match: { vifRange: Date } }
  - { name: error, quantity: PointInTime, displayUnit: date, match: { vifRange: Date, storage: 1 } }
  - { name: stamp, quantity: PointInTime, match: { vifRange: DateTime } }
  - { name: energy, quantity: Energy, match: { vifRange: AnyEnergyVIF } }
  - { name: version, quantity: Text, match: { difvifkey: 02FD0E } }
`;
  it('rolls dates back like the C library, drops impossible ones, prints 6 decimals, names mfct TPL status bits', () => {
    const p = parseDriverFile('semantics.yaml', text);
    if (!p.ok) throw new Error(JSON.stringify(p.problems));
    // STS 0x44: POWER_LOW + manufacturer bit 0x40; date 0000 (2000-00-00); storage 1 date FFFF; type F
    // datetime; energy 1 Wh steps → 0.0123457 kWh; firmware 0x0102.
    const t = hexToBytes(
      '2A44 7452 78563412 09 07 7A 01 44 0000 026C0000 426CFFFF 046D3A0B5F31 0403 39300000 02FD0E0201',
    ) as Uint8Array;
    t[0] = t.length - 1;
    const r = decodeTelegram(t, { driver: p.driver });
    if (!r.ok) throw new Error(r.detail);
    expect(r.reading.values).toEqual({
      status: 'POWER_LOW TAMPER',
      reset_date: '1999-11-30',
      stamp_datetime: '2026-01-31 11:58',
      energy_kwh: 12.345,
      version: '0102',
    });
    expect(wmbusmetersJson({ ...r.reading, values: { x_kwh: 1 / 3 } })).toMatchObject({ x_kwh: 0.333333 });
  });
});

describe('calculate formulas (wmbusmeters subset)', () => {
  const text = `name: formulas
detect: [{ mfct: TST, version: 10, type: 7 }]
library: [total_m3, target_m3]
fields:
  - { name: raw, quantity: Dimensionless, attributes: [HIDE], vifScaling: None, match: { difvifkey: 02FF22 } }
  - { name: used_since_target, quantity: Volume, displayUnit: l, calculate: 'total_m3 - target_m3' }
  - { name: battery, quantity: Time, displayUnit: y, calculate: '(raw_counter >> 8counter) * 0.5y' }
  - { name: flag, quantity: Dimensionless, calculate: '((raw_counter & 15counter) == 3counter) || 0counter' }
  - { name: billing, quantity: PointInTime, displayUnit: date, calculate: "'2000-01-15' + ((raw_counter & 15counter) * 1month)" }
  - { name: month_end, quantity: PointInTime, displayUnit: date, calculate: "'2024-11-30' - 1month" }
  - { name: clamped, quantity: PointInTime, displayUnit: date, calculate: "'2020-01-30' + 1month" }
  - { name: broken, quantity: Dimensionless, calculate: '1counter << 900counter' }
`;
  it('evaluates arithmetic, bit operations, units and date arithmetic once per telegram; impossible ones give no value', () => {
    const p = parseDriverFile('formulas.yaml', text);
    if (!p.ok) throw new Error(JSON.stringify(p.problems));
    const t = hexToBytes(
      '1E44 7452 78563412 0A 07 7A 01 00 0000 0413E8030000 4413D0070000 02FF220314',
    ) as Uint8Array;
    t[0] = t.length - 1;
    const r = decodeTelegram(t, { driver: p.driver });
    if (!r.ok) throw new Error(r.detail);
    expect(r.reading.values).toEqual({
      total_m3: 1,
      target_m3: 2,
      used_since_target_l: -1000,
      battery_y: 10,
      flag_counter: 1,
      billing_date: '2000-04-15',
      month_end_date: '2024-10-31',
      clamped_date: '2020-02-29',
    });
  });

  it('reports a formula that does not parse with its file, line and field', () => {
    const p = parseDriverFile('bad.yaml', text.replace("'total_m3 - target_m3'", "'total_m3 - (target_m3'"));
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.problems.map((x) => `${x.line}: ${x.path}: ${x.message}`)).toEqual([
      '6: /fields/1: (used_since_target): missing )',
    ]);
  });
});

describe('library fields as wmbusmeters prints them', () => {
  it('access counter unsigned, meter_datetime with its seconds (type I), a declared date-time without', () => {
    const p = parseDriverFile(
      'lib.yaml',
      `name: lib
detect: [{ mfct: TST, version: 11, type: 7 }]
library: [access_counter, meter_datetime]
fields:
  - { name: device, quantity: PointInTime, displayUnit: datetime, match: { vifRange: DateTime } }
`,
    );
    if (!p.ok) throw new Error(JSON.stringify(p.problems));
    // 01FD08 80: access number 0x80; 066D 1E3A0B5F31 00: type I date-time 2026-01-31 11:58:30.
    const t = hexToBytes('1C44 7452 78563412 0B 07 7A 01 00 0000 01FD0880 066D1E3A0B5F3100') as Uint8Array;
    t[0] = t.length - 1;
    const r = decodeTelegram(t, { driver: p.driver });
    if (!r.ok) throw new Error(r.detail);
    expect(r.reading.values).toEqual({
      access_counter: 128,
      meter_datetime: '2026-01-31 11:58:30',
      device_datetime: '2026-01-31 11:58',
    });
  });
});
