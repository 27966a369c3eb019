// Driver files in the wmbus bench: decode through a driver loaded from a file vs the built-in one, loading
// 120 driver files at start, and the 1,000,000-telegram fuzz across every loaded driver.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtInDrivers, DriverRegistry, decodeTelegram, hexToBytes, MeterDecodeState } from '@iotgw/wmbus';
import { loadDriverFiles, parseDriverFile } from '@iotgw/wmbus/driver-files';
import { type Figure, perSecond } from './measure.ts';

const FUZZ = Number(process.env['IOTGW_BENCH_FUZZ'] ?? 1_000_000);

/** The built-in omnipower as an xmq file, the way a user would write it. */
const OMNIPOWER_XMQ = `driver {
  name = omnipower
  meter_type = ElectricityMeter
  detect { mvt = KAM,30,02 }
  compact_frame_formats { difvif = 040404843C042B04AB3C }
  fields {
    field { name = total_energy_consumption quantity = Energy
            match { measurement_type = Instantaneous vif_range = AnyEnergyVIF } }
    field { name = total_energy_production quantity = Energy
            match { measurement_type = Instantaneous vif_range = AnyEnergyVIF add_combinable = BackwardFlow } }
    field { name = current_power_consumption quantity = Power
            match { measurement_type = Instantaneous vif_range = AnyPowerVIF } }
    field { name = current_power_production quantity = Power
            match { measurement_type = Instantaneous vif_range = AnyPowerVIF add_combinable = BackwardFlow } }
  }
}
`;

export function driverFileFigures(
  full: readonly Uint8Array[],
  key: Uint8Array,
  builtInRate: number,
): Figure[] {
  const parsed = parseDriverFile('omnipower.xmq', OMNIPOWER_XMQ);
  if (!parsed.ok) throw new Error('omnipower.xmq does not load');
  const drivers = new DriverRegistry([parsed.driver]);
  const state = new MeterDecodeState();
  let sink = 0;
  const fileRate = perSecond(full.length, () => {
    for (const t of full) {
      const r = decodeTelegram(t, { key, state, drivers });
      if (r.ok) sink += r.reading.records.length;
    }
  });

  // 120 driver files: the fixtures' YAML and xmq drivers, copied under distinct names.
  const dir = mkdtempSync(join(tmpdir(), 'iotgw-drivers-'));
  const good = new URL('../fixtures/drivers/good/', import.meta.url);
  const yaml = readFileSync(new URL('testwater.yaml', good), 'utf8');
  const xmq = readFileSync(new URL('testheat.xmq', good), 'utf8');
  for (let i = 0; i < 120; i++) {
    if (i % 2 === 0) writeFileSync(join(dir, `w${i}.yaml`), yaml.replace('name: testwater', `name: w${i}`));
    else writeFileSync(join(dir, `h${i}.xmq`), xmq.replace('name           = testheat', `name = h${i}`));
  }
  const t0 = performance.now();
  const report = loadDriverFiles([dir]);
  const loadMs = performance.now() - t0;
  rmSync(dir, { recursive: true, force: true });
  if (report.drivers.length !== 120) throw new Error(`loaded ${report.drivers.length} of 120 driver files`);

  // Fuzz: mutated embedded-test telegrams through every driver; must not throw; heap must stay flat.
  const seeds = builtInDrivers.flatMap((d) =>
    (d.tests ?? []).flatMap((t) => t.telegrams.map((h) => hexToBytes(h) ?? new Uint8Array())),
  );
  const all = [...builtInDrivers, parsed.driver];
  let x = 0x12345678;
  const rnd = (n: number): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
  const heap0 = process.memoryUsage().heapUsed;
  const f0 = performance.now();
  for (let i = 0; i < FUZZ; i++) {
    const b = Uint8Array.from(seeds[rnd(seeds.length)] ?? []);
    for (let k = 0, n = 1 + rnd(4); k < n; k++) {
      const at = rnd(b.length);
      b[at] = (b[at] ?? 0) ^ (1 << rnd(8));
    }
    const driver = all[rnd(all.length)];
    const r = decodeTelegram(b, { preDecrypted: true, ...(driver ? { driver } : {}) });
    if (r.ok) sink++;
  }
  const fuzzSeconds = (performance.now() - f0) / 1000;
  const heapGrowthMb = (process.memoryUsage().heapUsed - heap0) / 1e6;
  if (sink < 0) console.log(sink);
  return [
    {
      figure: 'OmniPower full frame decode through a driver file (.xmq)',
      value: fileRate,
      unit: 'frames/s',
      conditions: 'the same 1,000 frames, driver compiled once from omnipower.xmq at load',
      baseline: { figure: 'OmniPower full frame decrypt + decode (built-in driver)', value: builtInRate },
      ratio: fileRate / builtInRate,
      target: '>= 100000 frames/s',
      met: fileRate >= 100_000,
    },
    {
      figure: 'loading 120 driver files at start',
      value: loadMs,
      unit: 'ms',
      conditions: '60 YAML + 60 xmq driver files with embedded tests, read, validated and compiled',
      baseline: null,
      ratio: null,
      target: '< 1000 ms',
      met: loadMs < 1000,
    },
    {
      figure: `fuzz: ${FUZZ.toLocaleString('en')} mutated telegrams across all drivers`,
      value: FUZZ / fuzzSeconds,
      unit: 'telegrams/s',
      conditions: `no throw (the run would stop); heap growth ${heapGrowthMb.toFixed(1)} MB after the run`,
      baseline: null,
      ratio: null,
      target: 'no throw, heap growth < 50 MB',
      met: heapGrowthMb < 50,
    },
  ];
}
