// Receipts (issue 21): what keeping readings until the server's receipt costs under normal running.
// The edge's publishing half (MqttConnector + SqliteOutbox, as iotgw-edge builds it) publishes bleReading
// messages → own Mosquitto (the project's config) → iotgw-server (SQLite) → stored; once with receipts off
// (server RECEIPTS=off, edge off) and once on (server on, edge on), in the same run. Figures: end-to-end
// throughput (until the last reading is stored and, with receipts, the outbox is empty) and the
// publishing process's CPU per reading, on as a ratio of off (target: throughput ≥ 0.9 × off).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bleReading } from '@iotgw/contracts';
import { createLogger } from '@iotgw/logger';
import { MqttConnector, SqliteOutbox } from '@iotgw/mqtt-connector';
import { Chain } from '@iotgw/system';
import { appendBenchFigures, type BenchFigure, startMosquitto } from '@iotgw/testkit';

const READINGS = Number(process.env['IOTGW_BENCH_RECEIPTS_READINGS'] ?? 10_000);
const CONCURRENCY = 200;

interface Run {
  seconds: number;
  cpuUsPerReading: number;
  receipts: number;
}

async function run(brokerUrl: string, mode: 'off' | 'on', readings = READINGS): Promise<Run> {
  const dataDir = mkdtempSync(join(tmpdir(), `iotgw-bench-receipts-${mode}-`));
  const gatewayId = `bench-${mode}-${readings}`;
  const chain = new Chain({
    dataDir,
    gatewayId,
    mqttUrl: brokerUrl,
    logLevel: 'warn',
    serverEnv: { RECEIPTS: mode, LOG_LEVEL: 'warn', MQTT_SHARE_GROUP: 'iotgw', MQTT_CONNECTIONS: '16' },
  });
  const outbox = new SqliteOutbox({ path: join(dataDir, 'outbox.db'), fsync: { groupCommitMs: 5 } });
  const connector = new MqttConnector(
    {
      url: brokerUrl,
      clientId: `iotgw-bench-edge-${gatewayId}`,
      clean: false,
      subscriptions: mode === 'on' ? [{ filter: `v2/${gatewayId}/receipts`, qos: 1 }] : [],
      receipts: { mode, waitsFor: (topic) => bleReading.match(topic) !== null, resendAfterMs: 60_000 },
    },
    { logger: createLogger({ name: 'bench-edge', level: 'warn' }), outbox },
  );
  connector.onMessage(async (m) => {
    connector.receipt(m.payload);
  });
  try {
    await chain.startBroker();
    await chain.startServer();
    await chain.api?.seedFlows();
    await connector.start();
    await new Promise((r) => setTimeout(r, 1000));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < readings) {
        const i = next++;
        await connector.publishContract(
          bleReading,
          { gatewayId, address: `A4C1380000${String(i % 100).padStart(2, '0')}` },
          {
            timestamp: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
            format: 'bthome_v2',
            rssi_dbm: -70,
            temperature_c: 20 + (i % 50) / 10,
            humidity_pct: 45,
          },
        );
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    let stored = 0;
    const deadline = Date.now() + 300_000;
    while ((stored < readings || outbox.depth > 0) && Date.now() < deadline) {
      stored = (await chain.api?.flows())?.find((f) => f.code === 'ble')?.counters.lastMsgId ?? 0;
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    if (stored < readings) throw new Error(`receipts ${mode}: only ${stored}/${readings} stored`);
    const m = connector.metrics();
    console.log(
      `receipts ${mode}: ${readings} readings stored in ${seconds.toFixed(1)} s = ${Math.round(readings / seconds)} readings/s, edge CPU ${((cpu.user + cpu.system) / readings).toFixed(0)} µs/reading, ${m.receipts.receipts} receipts`,
    );
    return {
      seconds,
      cpuUsPerReading: (cpu.user + cpu.system) / readings,
      receipts: m.receipts.receipts,
    };
  } finally {
    await connector.stop({ flushTimeoutMs: 1000 });
    await outbox.close();
    await chain.stop();
  }
}

const broker = await startMosquitto();
const figures: BenchFigure[] = [];
try {
  await run(broker.url, 'on', 1000); // warm-up (JIT), not counted
  const off = await run(broker.url, 'off');
  const on = await run(broker.url, 'on');
  const conditions = `${READINGS} bleReading messages (MqttConnector + SqliteOutbox as in iotgw-edge, ${CONCURRENCY} concurrent publishes) → own Mosquitto → iotgw-server (16 router connections in a share group) → SQLite, one 2-core machine; receipts off and on in the same run`;
  const offRate = READINGS / off.seconds;
  const onRate = READINGS / on.seconds;
  figures.push({
    figure: 'receipts on: end-to-end readings stored (edge outbox empty)',
    value: onRate,
    unit: 'readings/s',
    conditions: `${conditions}; ${on.receipts} receipts`,
    baseline: { figure: 'receipts off', value: offRate },
    ratio: onRate / offRate,
    target: '≥ 0.9 × receipts off',
    met: onRate >= 0.9 * offRate,
  });
  figures.push({
    figure: 'receipts on: edge CPU per reading',
    value: on.cpuUsPerReading,
    unit: 'µs/reading',
    conditions,
    baseline: { figure: 'receipts off', value: off.cpuUsPerReading },
    ratio: on.cpuUsPerReading / off.cpuUsPerReading,
    target: null,
    met: null,
  });
} finally {
  await broker.stop();
}
appendBenchFigures(figures);
