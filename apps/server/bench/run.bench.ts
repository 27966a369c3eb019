// iotgw-server end to end: the built server (dist/main.js) as a child process, its own Mosquitto
// (infra/mosquitto/mosquitto.conf), a fresh MariaDB database; a flow created over HTTP, QoS 1 messages
// (5 numeric fields) published with MQTT.js, timed until the flow's last msg id says all are stored.
// Compares one router connection with 64 in a shared-subscription group (the composition's lever: the
// connector acknowledges one message per connection at a time).
// Run: pnpm --filter @iotgw/server build && pnpm --filter @iotgw/server bench
// Prints a table; writes JSON figures to $IOTGW_BENCH_OUT when set.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';

const MYSQL = process.env['IOTGW_BENCH_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test';
process.env['IOTGW_TEST_MYSQL_URL'] ||= MYSQL;
const testkit = await import('@iotgw/testkit');
const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const TOKEN = 'bench-admin-token-0123456789';

interface Run {
  label: string;
  messages: number;
  shareGroup?: string;
  connections?: number;
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function runOnce(run: Run): Promise<{ msgPerS: number; ms: number }> {
  const broker = await testkit.startMosquitto();
  const db = await testkit.createMysqlDatabase('iotgw_srv_bench');
  const port = await testkit.freePort();
  const base = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const child = spawn(process.execPath, [main], {
    env: {
      PATH: process.env['PATH'] ?? '',
      DATABASE_URL: db.url,
      MQTT_URL: broker.url,
      MQTT_CLIENT_ID: `bench-${run.label.replace(/\W+/g, '-')}`,
      HTTP_PORT: String(port),
      API_TOKENS: `admin:${TOKEN}`,
      LOG_LEVEL: 'warn',
      FLOWS_RELOAD_INTERVAL_SECONDS: '0',
      ...(run.shareGroup ? { MQTT_SHARE_GROUP: run.shareGroup } : {}),
      ...(run.connections ? { MQTT_CONNECTIONS: String(run.connections) } : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    await waitFor('the server', async () => (await fetch(`${base}/readyz`)).status === 200, 60_000);
    const created = await fetch(`${base}/api/flows`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        code: 'bench',
        topic: 'bench/+/data',
        action: 'STORE_DB',
        payloadSchema: { a: 'number', b: 'number', c: 'number', d: 'number', e: 'number' },
      }),
    });
    if (created.status !== 201)
      throw new Error(`flow not created: ${created.status} ${await created.text()}`);
    const publisher = await mqtt.connectAsync(broker.url, {
      clientId: 'bench-publisher',
      protocolVersion: 5,
    });
    const started = performance.now();
    const window = 500;
    for (let i = 0; i < run.messages; i += window) {
      const sends: Promise<unknown>[] = [];
      for (let j = i; j < Math.min(run.messages, i + window); j++) {
        const payload = JSON.stringify({ a: j, b: j * 0.5, c: 21.5, d: -j, e: 1e6 + j });
        sends.push(publisher.publishAsync(`bench/s${j % 50}/data`, payload, { qos: 1 }));
      }
      await Promise.all(sends);
    }
    await waitFor(
      'every message stored',
      async () => {
        const flow = (await (await fetch(`${base}/api/flows/bench`, { headers })).json()) as {
          lastMsgId: number;
        };
        return flow.lastMsgId === run.messages;
      },
      600_000,
    );
    const ms = performance.now() - started;
    await publisher.endAsync();
    return { msgPerS: Math.round((run.messages / ms) * 1000), ms: Math.round(ms) };
  } finally {
    child.kill('SIGTERM');
    await exited;
    await broker.stop();
    await db.drop();
  }
}

const runs: Run[] = [
  { label: '1 router connection', messages: 2_000 },
  { label: '64 connections in a share group', messages: 20_000, shareGroup: 'iotgw-bench', connections: 64 },
];
const results: { run: Run; msgPerS: number; ms: number }[] = [];
for (const run of runs) results.push({ run, ...(await runOnce(run)) });

const [one, many] = results as [(typeof results)[number], (typeof results)[number]];
const figures = results.map((r) => ({
  figure: `iotgw-server end to end, ${r.run.label}`,
  value: r.msgPerS,
  unit: 'msg/s',
  conditions: `${r.run.messages} QoS 1 messages, 5 numeric fields each, own Mosquitto, MariaDB on 127.0.0.1, server as a child process; 2 shared cores`,
  baseline: r === many ? { figure: `iotgw-server end to end, ${one.run.label}`, value: one.msgPerS } : null,
  ratio: r === many ? Math.round((many.msgPerS / one.msgPerS) * 10) / 10 : null,
  target: null,
  met: null,
}));
console.log('figure'.padEnd(62), 'value'.padStart(12), '  ratio');
for (const f of figures) {
  console.log(
    f.figure.padEnd(62),
    `${f.value} ${f.unit}`.padStart(12),
    f.ratio === null ? '' : `  ${f.ratio}×`,
  );
}
testkit.writeBenchFigures(figures);
