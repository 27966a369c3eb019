// (c) The router: N MQTT.js connections in one shared subscription feeding the group-commit batcher.
import {
  FlowRepository,
  FlowRouter,
  loadRouterSettings,
  migrateToLatest,
  noopRouterMetrics,
  openDatabase,
  type RouterMetrics,
} from '@iotgw/flow-router';
import { createLogger } from '@iotgw/logger';
import { createMqttTransport } from '../test/support/mqtt-transport.ts';
import { cpuMeter, type MachineCpu, machineMeter, percentile, publish, until } from './bench-env.ts';
import type { RateResult } from './raw-ceiling.ts';

export interface RouterRunOptions {
  brokerUrl: string;
  /** The broker's process, for the CPU breakdown. */
  brokerPid?: number | undefined;
  dbUrl: string;
  label: string;
  count: number;
  connections: number;
  /** Publish at this rate (msg/s) and measure publish-to-commit latency. */
  rate?: number;
  env?: Record<string, string>;
}

export interface RouterRunResult extends RateResult {
  /** Router process CPU during the run, in cores (1 = one core busy). */
  cpu: number;
  /** Where the machine's CPU went during the run. */
  machine: MachineCpu;
  /** Share of the run a transaction was committing. */
  commitBusy: number;
  batches: number;
  avgBatch: number;
  p50Ms: number;
  p99Ms: number;
}

export async function routerRun(o: RouterRunOptions): Promise<RouterRunResult> {
  const handle = openDatabase(o.dbUrl);
  const migrated = await migrateToLatest(handle.db);
  if (!migrated.ok) throw new Error(`migration failed: ${migrated.error?.message}`);
  await new FlowRepository(handle.db).create({
    code: `bench-${o.label}`,
    topic: `bench/${o.label}/+/data`,
    action: 'STORE_DB',
    payloadSchema: { seq: 'int', ts: 'number', t: 'number', h: 'number', v: 'number' },
  });
  const settings = loadRouterSettings({
    DATABASE_URL: o.dbUrl,
    FLOWS_RELOAD_INTERVAL_SECONDS: '0',
    MQTT_CLIENT_ID: `bench-${o.label}`,
    ...o.env,
  });
  const transport = await createMqttTransport({
    url: o.brokerUrl,
    clientIdPrefix: `bench-${o.label}`,
    connections: o.connections,
    ...(o.connections > 1 ? { shareGroup: `bench-${o.label}` } : {}),
    clean: true,
  });
  let stored = 0;
  let first = 0;
  let last = 0;
  let commitMs = 0;
  let batches = 0;
  const latencies: number[] = [];
  const metrics: RouterMetrics = {
    ...noopRouterMetrics,
    messageOutcome(_flow, outcome) {
      if (outcome === 'stored') {
        stored++;
        last = performance.now();
      }
    },
    batchCommitted(_size, ms) {
      batches++;
      commitMs += ms;
    },
  };
  const measured = {
    subscribe: transport.subscribe.bind(transport),
    unsubscribe: transport.unsubscribe.bind(transport),
    onMessage(handler: Parameters<typeof transport.onMessage>[0]) {
      transport.onMessage(async (msg) => {
        if (first === 0) first = performance.now();
        const ack = await handler(msg);
        if (o.rate !== undefined) {
          const ts = (JSON.parse(msg.payload.toString('utf8')) as { ts: number }).ts;
          latencies.push(performance.timeOrigin + performance.now() - ts);
        }
        return ack;
      });
    },
  };
  const logger = createLogger({
    name: 'bench-router',
    level: 'warn',
    format: 'json',
    destination: process.stderr,
  });
  const router = new FlowRouter({
    db: handle.db,
    dialect: handle.dialect,
    transport: measured,
    logger,
    settings,
    metrics,
  });
  await router.start();
  const cpu = cpuMeter();
  const machine = machineMeter(o.brokerPid);
  const pub = publish({
    url: o.brokerUrl,
    clientId: `bench-${o.label}-pub`,
    topicPrefix: `bench/${o.label}`,
    count: o.count,
    idPrefix: `bench-${o.label}`,
    ...(o.rate !== undefined ? { rate: o.rate, window: 1000 } : {}),
  });
  await until(() => stored >= o.count, 600_000, `router run ${o.label}`);
  const usedCores = cpu();
  const machineCpu = machine();
  await pub;
  await router.stop();
  await transport.close();
  await handle.close();
  const ms = last - first;
  latencies.sort((a, b) => a - b);
  return {
    messages: stored,
    ms,
    rate: (stored * 1000) / ms,
    cpu: usedCores,
    machine: machineCpu,
    commitBusy: commitMs / ms,
    batches,
    avgBatch: stored / Math.max(1, batches),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}
