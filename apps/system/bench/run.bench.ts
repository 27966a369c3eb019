// End-to-end throughput (issue 9): edge-format readings (the meterData contract, MQTT 5 with an
// iotgw-msg-id each, QoS 1) published as fast as one local MQTT.js publisher can → own Mosquitto (the
// project's config) → iotgw-server (router connections in a share group) → MariaDB. Baseline in the same
// run: the same publisher to a bare MQTT.js subscriber that only acknowledges.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MESSAGE_ID_PROPERTY, meterData } from '@iotgw/contracts';
import { Chain } from '@iotgw/system';
import { type BenchFigure, createMysqlDatabase, startMosquitto, writeBenchFigures } from '@iotgw/testkit';
import { connectAsync, type MqttClient } from 'mqtt';

const MESSAGES = Number(process.env['IOTGW_BENCH_E2E_MESSAGES'] ?? 50_000);
const CONNECTIONS = Number(process.env['IOTGW_BENCH_E2E_CONNECTIONS'] ?? 128);
process.env['IOTGW_TEST_MYSQL_URL'] ||=
  process.env['IOTGW_BENCH_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test';

function payload(i: number): Buffer {
  return Buffer.from(
    JSON.stringify({
      timestamp: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      id: String(10_000_000 + (i % 1000)),
      manufacturer: 'KAM',
      driver: 'omnipower',
      media: 'electricity',
      rssi_dbm: -80,
      total_energy_consumption_kwh: i / 100,
      total_energy_production_kwh: 0,
      current_power_consumption_kw: 1.5,
      current_power_production_kw: 0,
    }),
  );
}

/** Publishes `n` QoS 1 messages with at most `window` unacknowledged; resolves when all are acknowledged. */
async function publishAll(
  client: MqttClient,
  n: number,
  topicOf: (i: number) => string,
  window = 1000,
): Promise<number> {
  const started = performance.now();
  let next = 0;
  let inFlight = 0;
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      while (inFlight < window && next < n) {
        const i = next++;
        inFlight++;
        client.publish(
          topicOf(i),
          payload(i),
          { qos: 1, properties: { userProperties: { [MESSAGE_ID_PROPERTY]: `bench:${i + 1}` } } },
          (err) => {
            if (err) return reject(err);
            inFlight--;
            if (next >= n && inFlight === 0) resolve();
            else pump();
          },
        );
      }
    };
    pump();
  });
  return (performance.now() - started) / 1000;
}

const broker = await startMosquitto();
const results: BenchFigure[] = [];
try {
  // (a) baseline: publisher → Mosquitto → a subscriber that only acknowledges
  const sub = await connectAsync(broker.url, { protocolVersion: 5, clientId: 'bench-raw-sub', clean: true });
  let received = 0;
  sub.on('message', () => {
    received++;
  });
  await sub.subscribeAsync('bench/raw/#', { qos: 1 });
  const pub = await connectAsync(broker.url, { protocolVersion: 5, clientId: 'bench-pub', clean: true });
  const t0 = performance.now();
  await publishAll(pub, MESSAGES, (i) => `bench/raw/kam-${10_000_000 + (i % 1000)}/data`);
  while (received < MESSAGES) await new Promise((r) => setTimeout(r, 20));
  const rawRate = MESSAGES / ((performance.now() - t0) / 1000);
  await sub.endAsync();
  console.log(`(a) raw: publisher → Mosquitto → acknowledging subscriber: ${Math.round(rawRate)} msg/s`);

  // (c) the chain's back end: → iotgw-server → MariaDB
  const db = await createMysqlDatabase('iotgw_bench_e2e');
  const chain = new Chain({
    dataDir: mkdtempSync(join(tmpdir(), 'iotgw-bench-e2e-')),
    gatewayId: 'bench',
    mqttUrl: broker.url,
    databaseUrl: db.url,
    serverEnv: { MQTT_SHARE_GROUP: 'iotgw', MQTT_CONNECTIONS: String(CONNECTIONS), LOG_LEVEL: 'warn' },
    logLevel: 'warn',
  });
  try {
    await chain.startBroker();
    await chain.startServer();
    await chain.api?.seedFlows();
    await new Promise((r) => setTimeout(r, 2000));
    const t1 = performance.now();
    const publishSeconds = await publishAll(pub, MESSAGES, (i) =>
      meterData.build({
        gatewayId: 'bench',
        manufacturerKey: 'kam',
        deviceId: String(10_000_000 + (i % 1000)),
      }),
    );
    let stored = 0;
    const deadline = Date.now() + 600_000;
    while (stored < MESSAGES && Date.now() < deadline) {
      stored = (await chain.api?.flows())?.find((f) => f.code === 'meters')?.counters.lastMsgId ?? 0;
      if (stored < MESSAGES) await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - t1) / 1000;
    const rate = stored / seconds;
    const conditions = `${MESSAGES} meterData messages (10 fields, MQTT 5 msg ids), QoS 1, own Mosquitto, MariaDB, ${CONNECTIONS} router connections in a share group, publisher and everything on one 2-core machine`;
    console.log(
      `(c) end to end: ${stored}/${MESSAGES} stored in ${seconds.toFixed(1)} s = ${Math.round(rate)} msg/s (publishing took ${publishSeconds.toFixed(1)} s)`,
    );
    results.push({
      figure: 'raw broker ceiling (publisher → Mosquitto → acking subscriber)',
      value: rawRate,
      unit: 'msg/s',
      conditions: `${MESSAGES} messages, QoS 1, own Mosquitto`,
      baseline: null,
      ratio: null,
      target: null,
      met: null,
    });
    results.push({
      figure: 'end to end: edge-format readings → server → MariaDB, stored',
      value: rate,
      unit: 'msg/s',
      conditions,
      baseline: { figure: 'raw broker ceiling', value: rawRate },
      ratio: rate / rawRate,
      target: null,
      met: stored === MESSAGES,
    });
    results.push({
      figure: 'end to end: records stored',
      value: rate * 10,
      unit: 'rows/s',
      conditions,
      baseline: null,
      ratio: null,
      target: null,
      met: null,
    });
  } finally {
    await chain.stop();
    await db.drop();
  }
  await pub.endAsync();
} finally {
  await broker.stop();
}
writeBenchFigures(results);
