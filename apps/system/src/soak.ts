// `pnpm soak -- --minutes N`: the full chain (edge → own Mosquitto → server → database) with random
// faults at random times for N minutes, then one line: produced, stored, lost, duplicated.
// Faults: broker restart, server SIGKILL + restart, database unreachable (MariaDB through a TCP proxy),
// edge SIGKILL + restart. Needs the mosquitto binary (MQTT 5 message ids make every message countable);
// the database is MariaDB when IOTGW_TEST_MYSQL_URL (or SOAK_MYSQL_URL) is set, else SQLite (no database fault).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createMysqlDatabase,
  recordMqtt,
  startMosquitto,
  startTcpProxy,
  type TcpProxy,
  waitFor,
} from '@iotgw/testkit';
import { Chain } from './chain.js';
import { outboxGaps, verifyExactlyOnce } from './verify.js';

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '5' }, seed: { type: 'string' } },
  allowPositionals: true,
});
const minutes = Number(values.minutes);
if (!Number.isFinite(minutes) || minutes <= 0) throw new Error('--minutes must be a positive number');
let seed = Number(values.seed ?? Date.now() % 100000);
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${msg}`);

const broker = await startMosquitto();
const mysqlBase = process.env['SOAK_MYSQL_URL'] ?? process.env['IOTGW_TEST_MYSQL_URL'];
let proxy: TcpProxy | undefined;
let databaseUrl: string;
let dropDb: (() => Promise<void>) | undefined;
if (mysqlBase) {
  process.env['IOTGW_TEST_MYSQL_URL'] = mysqlBase;
  const db = await createMysqlDatabase('iotgw_soak');
  dropDb = db.drop;
  const target = new URL(db.url);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 3306) });
  const proxied = new URL(db.url);
  proxied.host = `127.0.0.1:${proxy.port}`;
  databaseUrl = proxied.toString();
} else {
  databaseUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), 'iotgw-soak-db-')), 'soak.db')}`;
}
const directDb = proxy
  ? databaseUrl.replace(`127.0.0.1:${proxy.port}`, `${new URL(mysqlBase as string).host}`)
  : databaseUrl;
const gatewayId = `soak-${process.pid}`;
const tap = await recordMqtt(broker.url, [`${gatewayId}/+/update`, `v2/${gatewayId}/#`], {
  protocolVersion: 5,
  clean: false,
});
const chain = new Chain({
  dataDir: mkdtempSync(join(tmpdir(), 'iotgw-soak-')),
  gatewayId,
  mqttUrl: broker.url,
  databaseUrl,
  stick: 'auto',
  bleIntervalMs: 500,
  meterIntervalMs: 1000,
  logLevel: 'warn',
  logToFiles: true,
});
log(
  `starting: ${minutes} min, seed ${seed}, broker ${broker.url}, database ${mysqlBase ? 'MariaDB via a TCP proxy' : 'SQLite'}`,
);
await chain.start();
await chain.provisionDemoMeters();

const faults = ['broker', 'server', 'edge', ...(proxy ? ['database'] : [])];
const counts: Record<string, number> = {};
const end = Date.now() + minutes * 60_000;
while (Date.now() < end - 20_000) {
  await sleep(5_000 + random() * 20_000);
  if (Date.now() >= end - 20_000) break;
  const fault = faults[Math.floor(random() * faults.length)] as string;
  counts[fault] = (counts[fault] ?? 0) + 1;
  log(`fault: ${fault}`);
  if (fault === 'broker') {
    await broker.stop();
    await sleep(1_000 + random() * 5_000);
    await broker.start();
  } else if (fault === 'server') {
    await chain.server?.stop('SIGKILL');
    await sleep(random() * 3_000);
    await chain.startServer();
  } else if (fault === 'edge') {
    await chain.edge?.stop('SIGKILL');
    await sleep(random() * 3_000);
    await chain.startEdge();
  } else if (fault === 'database' && proxy) {
    await proxy.cut();
    await sleep(3_000 + random() * 12_000);
    await proxy.restore();
  }
}
log('stopping the edge (flushes its outbox) and draining');
await chain.edge?.stop('SIGTERM');
let result = await verifyExactlyOnce(directDb, tap.messages);
await waitFor(
  async () => {
    result = await verifyExactlyOnce(directDb, tap.messages);
    return result.every((c) => c.missingCount === 0);
  },
  'the server to drain',
  120_000,
).catch(() => {});
const produced = result.reduce((a, c) => a + c.produced, 0);
const stored = result.reduce((a, c) => a + c.stored, 0);
// Lost: produced (seen on the broker) but never stored, plus outbox numbers the broker never saw.
const lost = result.reduce((a, c) => a + c.missingCount, 0);
// Duplicated: a record stored twice, or more messages stored than distinct messages produced.
const duplicated = result.reduce(
  (a, c) => a + c.duplicateRecords + Math.max(0, c.stored - (c.produced - c.missingCount)),
  0,
);
const gaps = outboxGaps(tap.messages.filter((m) => !m.topic.endsWith('/sensors/set')));
const gapFree = result.every((c) => c.gapFree && c.lastMsgId === c.stored);
await chain.stop();
await tap.close();
await proxy?.close();
await broker.stop();
await dropDb?.();
log(
  `faults: ${
    Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none'
  }; per flow: ${result.map((c) => `${c.flow} ${c.stored}/${c.produced}`).join(', ')}; outbox gaps ${gaps.gaps.length}; msg ids gap-free: ${gapFree}`,
);
console.log(
  `produced ${produced}, stored ${stored}, lost ${lost + gaps.gaps.length}, duplicated ${duplicated}`,
);
process.exit(lost + gaps.gaps.length === 0 && duplicated === 0 && gapFree ? 0 : 1);
