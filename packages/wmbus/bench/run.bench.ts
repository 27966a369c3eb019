// Benchmarks of @iotgw/wmbus against the built package (pnpm --filter @iotgw/wmbus build first).
// Prints a table; writes the figures as JSON to $IOTGW_BENCH_OUT when set.
import { createDecipheriv } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { buildOmnipowerTelegram, decodeTelegram, hexToBytes, MeterDecodeState } from '@iotgw/wmbus';
import { encodeHciFrame, HciFrameParser } from '@iotgw/wmbus/im871a';
import { driverFileFigures } from './driver-files.bench.ts';
import { type Figure, perSecond } from './measure.ts';

const KEY_HEX = '9A25139E3244CC2E391A8EF6B915B697';
const key = hexToBytes(KEY_HEX) ?? new Uint8Array(16);
const N = 1_000;

function frames(compact: boolean): Uint8Array[] {
  return Array.from({ length: N }, (_, i) =>
    buildOmnipowerTelegram({
      id: '32666857',
      key: KEY_HEX,
      accessNumber: i & 0xff,
      sessionNumber: i * 16 + 1,
      compact,
      values: { total_energy_consumption_kwh: 2.06 + i / 100, current_power_consumption_kw: (i % 50) / 10 },
    }),
  );
}

const full = frames(false);
const compact = frames(true);
for (const t of [...full, ...compact]) {
  const r = decodeTelegram(t, { key, state: new MeterDecodeState() });
  if (!r.ok) throw new Error(`bench corpus does not decode: ${r.code}`);
}

const state = new MeterDecodeState();
let sink = 0;
const fullRate = perSecond(N, () => {
  for (const t of full) {
    const r = decodeTelegram(t, { key, state });
    if (r.ok) sink += r.reading.records.length;
  }
});
const compactRate = perSecond(N, () => {
  for (const t of compact) {
    const r = decodeTelegram(t, { key, state });
    if (r.ok) sink += r.reading.records.length;
  }
});
const statelessRate = perSecond(N, () => {
  for (const t of full) {
    const r = decodeTelegram(t, { key });
    if (r.ok) sink += 1;
  }
});
// Baseline: the naive way to decrypt with node:crypto, one CTR cipher object per telegram (no parsing at all).
const iv = new Uint8Array(16);
const naiveCtrRate = perSecond(N, () => {
  for (const t of full) {
    const d = createDecipheriv('aes-128-ctr', key, iv);
    sink += d.update(t.subarray(17)).length;
    d.final();
  }
});
// HCI parsing: indications as the stick sends them, read in 4 KiB chunks.
const stream = Uint8Array.from(
  full.flatMap((t) => [
    ...encodeHciFrame({ endpoint: 2, msgId: 3, payload: t.subarray(1), crc: true, rssiRaw: 76 }),
  ]),
);
const hciRate = perSecond(N, () => {
  const p = new HciFrameParser();
  for (let i = 0; i < stream.length; i += 4096) sink += p.push(stream.subarray(i, i + 4096)).length;
});

const cpu = cpus()[0]?.model ?? 'cpu';
const conditions = `one core of ${cpu}, Node ${process.version}, ${N} distinct frames, best of 3 × 1 s`;
const naive = { figure: 'node:crypto AES-CTR, new cipher per telegram (no parsing)', value: naiveCtrRate };
const figures: Figure[] = [
  {
    figure: 'OmniPower full frame decrypt + decode',
    value: fullRate,
    unit: 'frames/s',
    conditions: `${conditions}, key and MeterDecodeState per meter (cached AES engine)`,
    baseline: naive,
    ratio: fullRate / naiveCtrRate,
    target: '>= 100000 frames/s',
    met: fullRate >= 100_000,
  },
  {
    figure: 'OmniPower compact frame decrypt + decode',
    value: compactRate,
    unit: 'frames/s',
    conditions: `${conditions}, built-in format 0x8C13`,
    baseline: { figure: 'OmniPower full frame decrypt + decode', value: fullRate },
    ratio: compactRate / fullRate,
    target: null,
    met: null,
  },
  {
    figure: 'OmniPower full frame decode without MeterDecodeState',
    value: statelessRate,
    unit: 'frames/s',
    conditions: `${conditions}, a new AES engine per telegram`,
    baseline: { figure: 'OmniPower full frame decrypt + decode', value: fullRate },
    ratio: statelessRate / fullRate,
    target: null,
    met: null,
  },
  {
    figure: 'iM871A HCI frame parsing',
    value: hciRate,
    unit: 'frames/s',
    conditions: `${conditions}, 48-byte indications with RSSI and CRC in 4 KiB reads`,
    baseline: { figure: 'stick serial ceiling at 57600 baud', value: 120 },
    ratio: hciRate / 120,
    target: null,
    met: null,
  },
];

figures.push(...driverFileFigures(full, key, fullRate));

const fmt = (v: number): string => (v >= 100 ? Math.round(v).toLocaleString('en') : v.toPrecision(3));
console.log('| figure | value | unit | baseline | ratio | target | met |');
console.log('|---|---|---|---|---|---|---|');
for (const f of figures)
  console.log(
    `| ${f.figure} | ${fmt(f.value)} | ${f.unit} | ${f.baseline ? `${f.baseline.figure}: ${fmt(f.baseline.value)}` : '—'} | ${f.ratio === null ? '—' : fmt(f.ratio)} | ${f.target ?? '—'} | ${f.met === null ? '—' : f.met ? 'yes' : 'NO'} |`,
  );
if (sink < 0) console.log(sink);
const out = process.env['IOTGW_BENCH_OUT'];
if (out) writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
