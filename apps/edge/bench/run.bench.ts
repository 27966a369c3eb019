// Memory of iotgw-edge under steady load (issue 7): BLE at 50 adverts/s and wM-Bus at 5 telegrams/s for
// IOTGW_BENCH_EDGE_MINUTES (default 10) minutes, against a private broker; RSS sampled every 10 s.
// Targets: RSS under 120 MB and not growing. Baseline: the same process's RSS once started (idle).
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

const minutes = Number(process.env['IOTGW_BENCH_EDGE_MINUTES'] ?? 10);
const SAMPLE_MS = 10_000;

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
  [...nodeFlags, join(repoRoot, 'apps/edge/dist/main.js'), 'run', '--config', config],
  {
    env: { BENCH_BINDKEY: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', LOG_LEVEL: 'info' },
  },
);
await edge.waitForLine(/iotgw-edge started/);
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
while (Date.now() - started < minutes * 60_000) {
  await new Promise((r) => setTimeout(r, SAMPLE_MS));
  const rss = rssMb(pid);
  samples.push({ t: (Date.now() - started) / 1000, rss });
  consumer.messages.length = 0; // the consumer only drains; keep the bench's own memory flat
  console.log(`  t=${Math.round(samples.at(-1)?.t ?? 0)}s rss=${rss.toFixed(1)} MB`);
}
await edge.stop('SIGTERM');
await consumer.close();
await broker.close();

const max = Math.max(...samples.map((s) => s.rss));
// Growth: mean RSS of the last fifth minus the mean of the second fifth (after warm-up), per 10 minutes.
const fifth = Math.max(1, Math.floor(samples.length / 5));
const mean = (xs: { rss: number }[]) => xs.reduce((a, s) => a + s.rss, 0) / Math.max(1, xs.length);
const early = samples.slice(fifth, 2 * fifth);
const late = samples.slice(-fifth);
const spanMin = Math.max(1e-9, ((late.at(-1)?.t ?? 0) - (early[0]?.t ?? 0)) / 60);
const growthPer10 = ((mean(late) - mean(early)) / spanMin) * 10;
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
    conditions: `${conditions}; late vs early mean after warm-up`,
    baseline: null,
    ratio: null,
    target: '< 5 MB per 10 min (not growing)',
    met: growthPer10 < 5,
  },
];
console.log(`max RSS ${max.toFixed(1)} MB (target < 120), growth ${growthPer10.toFixed(2)} MB per 10 min`);
writeBenchFigures(figures);
