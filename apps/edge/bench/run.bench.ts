// Durable intake at full speed (bench/intake.ts), then:
// Memory of iotgw-edge under steady load (issue 7): BLE at 50 adverts/s and wM-Bus at 5 telegrams/s for
// IOTGW_BENCH_EDGE_MINUTES (default 10) minutes, against a private broker; RSS sampled every 10 s.
// Targets: RSS under 120 MB and not growing. Baseline: the same process's RSS once started (idle).
// "Not growing" is judged on RSS right after a full garbage collection, forced through the inspector
// (Chrome DevTools Protocol, HeapProfiler.collectGarbage) after warm-up and at the end: between two
// natural major collections V8 lets garbage pile up in the old generation, which looks like growth
// in raw RSS samples but is not a leak. The natural samples are reported as well.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { meterProvisioning } from '@iotgw/contracts';
import {
  recordMqtt,
  repoRoot,
  serviceEnv,
  startAedes,
  startChildProgram,
  startMosquitto,
  writeBenchFigures,
} from '@iotgw/testkit';
import { defaultSimulatedMeters } from '@iotgw/wmbus/simulator';
import { stringify } from 'yaml';
import { intakeFigures } from './intake.ts';

// First the durable intake at full speed (about 20 s), then the memory bench; one set of figures.
// IOTGW_BENCH_EDGE_MINUTES=0 runs the intake figure only.
const intake = await intakeFigures();
if (minutesSetting() === 0) {
  writeBenchFigures(intake);
  process.exit(0);
}
function minutesSetting(): number {
  return Number(process.env['IOTGW_BENCH_EDGE_MINUTES'] ?? 10);
}

const minutes = Number(process.env['IOTGW_BENCH_EDGE_MINUTES'] ?? 10);
const SAMPLE_MS = 10_000;

/** A minimal CDP client on the child's inspector socket: forces full garbage collections. */
async function inspector(wsUrl: string): Promise<{ collectGarbage(): Promise<void>; close(): void }> {
  const ws = new WebSocket(wsUrl);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error(`cannot connect to the inspector at ${wsUrl}`)), {
      once: true,
    });
  });
  let nextId = 1;
  const waiting = new Map<number, () => void>();
  ws.addEventListener('message', (ev) => {
    const msg = JSON.parse(String(ev.data)) as { id?: number };
    if (msg.id !== undefined) waiting.get(msg.id)?.();
  });
  const call = (method: string) =>
    new Promise<void>((resolve) => {
      const id = nextId++;
      waiting.set(id, () => {
        waiting.delete(id);
        resolve();
      });
      ws.send(JSON.stringify({ id, method }));
    });
  return {
    async collectGarbage() {
      // Twice: the first pass may leave objects that only the second frees (weak references, finalizers).
      await call('HeapProfiler.collectGarbage');
      await call('HeapProfiler.collectGarbage');
    },
    close: () => ws.close(),
  };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

const broker =
  serviceEnv.mosquittoBin || process.env['IOTGW_BENCH_MOSQUITTO'] !== '0'
    ? await startMosquitto().then((m) => ({ url: m.url, v: 5 as const, close: m.stop }))
    : await startAedes().then((a) => ({ url: a.url, v: 4 as const, close: a.close }));
const dir = mkdtempSync(join(tmpdir(), 'iotgw-edge-bench-'));
const gw = `bench-${process.pid}`;
const config = join(dir, 'edge.yaml');
writeFileSync(
  config,
  stringify({
    version: 1,
    gatewayId: gw,
    stateDir: join(dir, 'state'),
    mqtt: { url: broker.url },
    // 5 simulated devices × 3 radio copies every 300 ms = 50 adverts/s
    ble: {
      enabled: true,
      source: { kind: 'simulate', intervalMs: 300 },
      bindkeys: { 'A4:C1:38:00:00:02': 'env:BENCH_BINDKEY' },
    },
    // 4 simulated meters, each every 800 ms = 5 telegrams/s
    wmbus: { enabled: true, source: { kind: 'simulate', intervalMs: 800 } },
    homeAssistant: { enabled: true },
    log: { level: 'warn', format: 'json' },
  }),
);
const consumer = await recordMqtt(broker.url, [`${gw}/+/update`, `v2/${gw}/#`], {
  protocolVersion: broker.v,
});
// The V8 flags the systemd unit runs the edge with (infra/systemd/iotgw-edge.service).
const unit = readFileSync(join(repoRoot, 'infra/systemd/iotgw-edge.service'), 'utf8');
const nodeFlags = /^ExecStart=\S+node((?:\s+--\S+)*)\s/m.exec(unit)?.[1]?.trim().split(/\s+/) ?? [];
const edge = startChildProgram(
  process.execPath,
  [
    ...nodeFlags,
    '--inspect=127.0.0.1:0',
    join(repoRoot, 'apps/edge/dist/main.js'),
    'run',
    '--config',
    config,
  ],
  {
    env: { BENCH_BINDKEY: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', LOG_LEVEL: 'info' },
  },
);
const inspectorUrl = /ws:\/\/\S+/.exec(await edge.waitForLine(/Debugger listening on ws:\/\//))?.[0] ?? '';
await edge.waitForLine(/iotgw-edge started/);
const devtools = await inspector(inspectorUrl);
await new Promise((r) => setTimeout(r, 2_000));
const monitored = defaultSimulatedMeters
  .filter((m) => m.role === 'monitored')
  .map((m) => ({ deviceId: m.id, manufacturerKey: m.manufacturerKey, encryptionKey: m.provisionKey }));
await consumer.client.publishAsync(meterProvisioning.build({ gatewayId: gw }), JSON.stringify(monitored), {
  qos: 1,
});
const pid = edge.pid as number;
const baseline = rssMb(pid);
const samples: { t: number; rss: number }[] = [];
const started = Date.now();
console.log(
  `edge memory bench: ${minutes} min at 50 adverts/s + 5 telegrams/s (broker ${broker.url}), baseline RSS ${baseline.toFixed(1)} MB`,
);
// Warm-up: the first fifth of the run. Then one forced full collection, and another at the end.
const warmUpMs = (minutes * 60_000) / 5;
let afterGcEarly: { t: number; rss: number } | undefined;
while (Date.now() - started < minutes * 60_000) {
  await new Promise((r) => setTimeout(r, SAMPLE_MS));
  const rss = rssMb(pid);
  if (afterGcEarly === undefined && Date.now() - started >= warmUpMs) {
    await devtools.collectGarbage();
    afterGcEarly = { t: (Date.now() - started) / 1000, rss: rssMb(pid) };
    console.log(
      `  t=${Math.round(afterGcEarly.t)}s after a forced full GC: rss=${afterGcEarly.rss.toFixed(1)} MB`,
    );
  }
  samples.push({ t: (Date.now() - started) / 1000, rss });
  consumer.messages.length = 0; // the consumer only drains; keep the bench's own memory flat
  console.log(`  t=${Math.round(samples.at(-1)?.t ?? 0)}s rss=${rss.toFixed(1)} MB`);
}
await devtools.collectGarbage();
const afterGcLate = { t: (Date.now() - started) / 1000, rss: rssMb(pid) };
console.log(`  t=${Math.round(afterGcLate.t)}s after a forced full GC: rss=${afterGcLate.rss.toFixed(1)} MB`);
devtools.close();
await edge.stop('SIGTERM');
await consumer.close();
await broker.close();

const max = Math.max(...samples.map((s) => s.rss));
// Growth: RSS after a forced full GC at the end minus after the one at the end of warm-up, per 10 min.
const early = afterGcEarly ?? afterGcLate;
const growthPer10 = ((afterGcLate.rss - early.rss) / Math.max(1e-9, (afterGcLate.t - early.t) / 60)) * 10;
// For reference, the natural samples: mean of the last fifth minus the mean of the second fifth.
const fifth = Math.max(1, Math.floor(samples.length / 5));
const mean = (xs: { rss: number }[]) => xs.reduce((a, s) => a + s.rss, 0) / Math.max(1, xs.length);
const naturalEarly = samples.slice(fifth, 2 * fifth);
const naturalLate = samples.slice(-fifth);
const naturalSpanMin = Math.max(1e-9, ((naturalLate.at(-1)?.t ?? 0) - (naturalEarly[0]?.t ?? 0)) / 60);
const naturalPer10 = ((mean(naturalLate) - mean(naturalEarly)) / naturalSpanMin) * 10;
const conditions = `${minutes} min, node ${nodeFlags.join(' ') || '(no flags)'}, BLE simulate 50 adverts/s, wM-Bus simulate 5 telegrams/s, HA discovery on, ${broker.v === 5 ? 'own Mosquitto' : 'aedes'}`;
const figures = [
  {
    figure: 'edge RSS, maximum',
    value: max,
    unit: 'MB',
    conditions,
    baseline: { figure: 'RSS after start', value: baseline },
    ratio: max / baseline,
    target: '< 120 MB',
    met: max < 120,
  },
  {
    figure: 'edge RSS growth',
    value: growthPer10,
    unit: 'MB per 10 min',
    conditions: `${conditions}; RSS after a forced full GC (inspector) at the end vs after warm-up (${early.rss.toFixed(1)} → ${afterGcLate.rss.toFixed(1)} MB)`,
    baseline: null,
    ratio: null,
    target: '< 5 MB per 10 min (not growing)',
    met: growthPer10 < 5,
  },
  {
    figure: 'edge RSS trend between natural collections',
    value: naturalPer10,
    unit: 'MB per 10 min',
    conditions: `${conditions}; mean of the last fifth of the samples vs the second fifth, garbage not yet collected included (V8 collects the old generation rarely)`,
    baseline: null,
    ratio: null,
    target: null,
    met: null,
  },
];
console.log(
  `max RSS ${max.toFixed(1)} MB (target < 120), growth after full GC ${growthPer10.toFixed(2)} MB per 10 min (target < 5), natural trend ${naturalPer10.toFixed(2)} MB per 10 min`,
);
writeBenchFigures([...intake, ...figures]);
