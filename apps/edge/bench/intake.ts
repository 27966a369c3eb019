// Durable intake at full speed (issue 13 item 2): the built iotgw-edge with the simulated BLE devices
// producing far more than it can store, against a private Mosquitto; the figure is the rate at which
// readings become durable in the outbox (iotgw_edge_readings_total{outcome="queued"}). Baseline, same
// run, same broker: the connector publishing through a SqliteOutbox with the edge's group commit.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@iotgw/logger';
import { MqttConnector, SqliteOutbox } from '@iotgw/mqtt-connector';
import {
  type BenchFigure,
  freePort,
  type MosquittoProcess,
  repoRoot,
  startChildProgram,
  startMosquitto,
} from '@iotgw/testkit';
import { stringify } from 'yaml';

const SECONDS = Number(process.env['IOTGW_BENCH_INTAKE_SECONDS'] ?? 10);
/**
 * Adverts generated per timer tick (each heard 3 times). The 1 ms timer fires at most once per event
 * loop turn, so this is what arrives per turn: 300 is more than the edge stores (some readings are
 * dropped for overload, counted), i.e. full speed; 100 was not on this machine.
 */
const BATCH = Number(process.env['IOTGW_BENCH_INTAKE_BATCH'] ?? 300);
const OUTBOX_MESSAGES = 20_000;
const GROUP_COMMIT_MS = 5; // the edge's default outbox.groupCommitMs

async function outboxBaseline(url: string, dir: string): Promise<number> {
  const outbox = new SqliteOutbox({
    path: join(dir, 'baseline.db'),
    fsync: { groupCommitMs: GROUP_COMMIT_MS },
  });
  const connector = new MqttConnector(
    { url, clientId: `bench-intake-outbox-${process.pid}` },
    { logger: createLogger({ name: 'bench', level: 'error', format: 'json' }), outbox },
  );
  await connector.start();
  await new Promise<void>((resolve) => connector.once('connected', () => resolve()));
  const payload = (i: number) =>
    JSON.stringify({
      timestamp: '2026-11-25T10:00:00.000Z',
      i,
      temp: 21.5,
      humidity: 40,
      pad: 'x'.repeat(120),
    });
  const start = performance.now();
  for (let i = 0; i < OUTBOX_MESSAGES; i += 1_000) {
    const batch: Promise<unknown>[] = [];
    for (let k = i; k < i + 1_000; k++) batch.push(connector.publish(`bench/intake/${k % 8}`, payload(k)));
    await Promise.all(batch);
  }
  const rate = OUTBOX_MESSAGES / ((performance.now() - start) / 1000);
  await connector.stop();
  await outbox.close();
  return rate;
}

async function counters(port: number): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^iotgw_edge_(readings|outbox_messages)_total\{outcome="(\w+)"\} (\d+)$/gm))
    out[`${m[1]}.${m[2]}`] = Number(m[3]);
  return out;
}

async function edgeIntake(
  mosquitto: MosquittoProcess,
  dir: string,
): Promise<{ rate: number; dropped: number; sent: number }> {
  const port = await freePort();
  const config = join(dir, 'edge.yaml');
  writeFileSync(
    config,
    stringify({
      version: 1,
      gatewayId: `bench-intake-${process.pid}`,
      stateDir: join(dir, 'state'),
      mqtt: { url: mosquitto.url },
      ble: { enabled: true, dedupWindowS: 0, source: { kind: 'simulate', intervalMs: 1, batch: BATCH } },
      health: { port },
      log: { level: 'info', format: 'json' },
    }),
  );
  const unit = readFileSync(join(repoRoot, 'infra/systemd/iotgw-edge.service'), 'utf8');
  const nodeFlags = /^ExecStart=\S+node((?:\s+--\S+)*)\s/m.exec(unit)?.[1]?.trim().split(/\s+/) ?? [];
  const edge = startChildProgram(process.execPath, [
    ...nodeFlags,
    join(repoRoot, 'apps/edge/dist/main.js'),
    'run',
    '--config',
    config,
  ]);
  try {
    await edge.waitForLine(/iotgw-edge started/);
    await new Promise((r) => setTimeout(r, 2_000)); // warm-up
    const before = await counters(port);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const after = await counters(port);
    const seconds = (performance.now() - t0) / 1000;
    const delta = (k: string) => ((after[k] ?? 0) - (before[k] ?? 0)) / seconds;
    return {
      rate: delta('readings.queued'),
      dropped: delta('readings.dropped_overload'),
      sent: delta('outbox_messages.sent'),
    };
  } finally {
    await edge.stop('SIGTERM');
  }
}

export async function intakeFigures(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'iotgw-intake-bench-'));
  const mosquitto = await startMosquitto();
  try {
    const baseline = await outboxBaseline(mosquitto.url, dir);
    const edge = await edgeIntake(mosquitto, dir);
    const conditions = `iotgw-edge (systemd node flags), simulated BLE devices at ${BATCH} adverts per 1 ms tick × 3 radio copies, dedup off, ${SECONDS} s after 2 s warm-up, private Mosquitto; outbox group commit ${GROUP_COMMIT_MS} ms; ${Math.round(edge.dropped)} readings/s refused by intake.maxQueued, ${Math.round(edge.sent)} messages/s acknowledged by the broker`;
    const base = {
      figure: `connector publish through SqliteOutbox, group commit ${GROUP_COMMIT_MS} ms`,
      value: Math.round(baseline),
    };
    console.log(
      `edge intake: ${Math.round(edge.rate)} readings/s durable (${Math.round(edge.dropped)}/s dropped for overload, ${Math.round(edge.sent)}/s sent); outbox alone ${Math.round(baseline)} msg/s`,
    );
    return [
      {
        ...base,
        unit: 'msg/s',
        conditions: `${OUTBOX_MESSAGES} QoS 1 messages of ~200 B, 1,000 publish() calls in flight, private Mosquitto`,
        baseline: null,
        ratio: null,
        target: null,
        met: null,
      },
      {
        figure: 'edge durable intake, simulated sources at full speed',
        value: Math.round(edge.rate),
        unit: 'readings/s',
        conditions,
        baseline: base,
        ratio: Math.round((edge.rate / baseline) * 1000) / 1000,
        target: '>= 5,000 readings/s',
        met: edge.rate >= 5_000,
      },
    ];
  } finally {
    await mosquitto.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
