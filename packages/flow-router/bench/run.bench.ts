// The flow-router benchmark, in one invocation (`pnpm --filter @iotgw/flow-router build`, then
// `pnpm --filter @iotgw/flow-router bench`): its own Mosquitto with infra/mosquitto/mosquitto.conf,
// fresh databases on the machine's MariaDB (127.0.0.1:3306), QoS 1, five-field JSON payloads.
// Prints a table; writes JSON figures to $IOTGW_BENCH_OUT when set.

import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BenchFigure, writeBenchFigures } from '@iotgw/testkit';
import { createBenchDatabase, startMosquitto } from './bench-env.ts';
import { databaseCeiling } from './db-ceiling.ts';
import { legacyPort } from './legacy-port.ts';
import { rawCeiling } from './raw-ceiling.ts';
import { linearScanRate, matchRate, routeRate } from './route-rate.ts';
import { type RouterRunResult, routerRun } from './router-run.ts';
import { spoolIngest } from './spool-ingest.ts';

type Figure = BenchFigure;

const N = Number(process.env['BENCH_MESSAGES'] ?? 100_000);
// The issue asks for ≥ 100,000 messages in each of (a), (b), (c): the legacy port too, although it takes minutes.
const N_LEGACY = Number(process.env['BENCH_LEGACY_MESSAGES'] ?? N);
const N_SWEEP = Number(process.env['BENCH_SWEEP_MESSAGES'] ?? 20_000);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 256);
const figures: Figure[] = [];
const rows: string[][] = [];

function fig(f: Figure): void {
  figures.push(f);
  const ratio = f.ratio === null ? '' : `${f.ratio.toFixed(2)}x ${f.baseline?.figure ?? ''}`;
  const met = f.met === null ? '' : f.met ? 'met' : 'NOT met';
  rows.push([
    f.figure,
    `${Math.round(f.value * 100) / 100} ${f.unit}`,
    ratio,
    f.target ? `${f.target} ${met}` : '',
  ]);
}

function cores(n: number): string {
  return Number.isNaN(n) ? '?' : n.toFixed(2);
}

/** Where the machine's CPU went during a router run. */
function cpuBreakdown(r: RouterRunResult): string {
  const m = r.machine;
  const rest = m.machineBusy * m.cores - r.cpu - (m.database || 0) - (m.broker || 0);
  return `machine ${Math.round(m.machineBusy * 100)} % of ${m.cores} cores busy (router ${cores(r.cpu)}, MariaDB ${cores(m.database)}, Mosquitto ${cores(m.broker)}, publisher and rest ${cores(rest)} cores)`;
}

/** What holds the router back, judged against both targets (c/a ≥ 0.3 and c/b ≥ 10). */
function limitOf(r: RouterRunResult, ceiling: number, legacy: number, database: number): string {
  if (r.rate >= 0.3 * ceiling && r.rate >= 10 * legacy) return 'none (both targets met)';
  const busy = `commits busy ${Math.round(r.commitBusy * 100)} %`;
  if (r.rate >= 0.6 * database)
    return `database: the router stores at ${Math.round((r.rate / database) * 100)} % of (d), what MariaDB takes for these rows with nothing else running${database < 0.3 * ceiling ? `; (d) itself is ${(database / ceiling).toFixed(2)}x (a), so c/a >= 0.3 cannot be met against this broker and database` : ''} (${busy})`;
  if (r.machine.machineBusy >= 0.9)
    return `the machine's CPU, shared by router, database, broker and publisher (${busy})`;
  if (r.cpu >= 0.85) return `router CPU (${Math.round(r.cpu * 100)} % of a core)`;
  if (r.commitBusy >= 0.7) return `database (${busy})`;
  return `broker round trips (router CPU ${Math.round(r.cpu * 100)} %, ${busy})`;
}

const broker = await startMosquitto();
const legacyDb = await createBenchDatabase('legacy');

/**
 * Each router run on MariaDB gets a fresh database, dropped afterwards: a run must not pay for the
 * rows and the dirty pages of the runs before it (the legacy port also starts on an empty database).
 */
async function onFreshDatabase<T>(label: string, run: (dbUrl: string) => Promise<T>): Promise<T> {
  const db = await createBenchDatabase(`router_${label}`);
  try {
    return await run(db.url);
  } finally {
    await db.drop();
  }
}
const sqliteDir = mkdtempSync(join(tmpdir(), 'iotgw-bench-sqlite-'));
const cond = `own Mosquitto (project config), MariaDB 127.0.0.1:3306, QoS 1, 5-field JSON, 2 shared cores, load avg ${loadavg()[0]?.toFixed(1)} at start`;
try {
  // Matching and routing: 10 flows vs 10,000 flows.
  const m10 = matchRate(10, 1_000_000);
  const m10k = matchRate(10_000, 1_000_000);
  fig({
    figure: 'topic trie match, 10 flows',
    value: m10.rate,
    unit: 'matches/s',
    conditions: 'one core, 3-level topics, one match each',
    baseline: null,
    ratio: null,
    target: null,
    met: null,
  });
  fig({
    figure: 'topic trie match, 10,000 flows',
    value: m10k.rate,
    unit: 'matches/s',
    conditions: 'one core, 3-level topics, one match each (the gap is CPU cache, not a scan)',
    baseline: { figure: 'topic trie match, 10 flows', value: m10.rate },
    ratio: m10k.rate / m10.rate,
    target: null,
    met: null,
  });
  const scan = linearScanRate(10_000, 2_000);
  fig({
    figure: 'linear scan match, 10,000 flows (what the trie avoids)',
    value: scan.rate,
    unit: 'matches/s',
    conditions: 'one core, topicMatchesFilter over every flow',
    baseline: { figure: 'topic trie match, 10,000 flows', value: m10k.rate },
    ratio: scan.rate / m10k.rate,
    target: null,
    met: null,
  });
  const r10 = await routeRate(10, 150_000);
  const r10k = await routeRate(10_000, 150_000);
  fig({
    figure: 'route (match, decode, validate, build records), 10 flows',
    value: r10.rate,
    unit: 'msg/s',
    conditions: 'one core, FlowRouter.explain, 5-field JSON',
    baseline: null,
    ratio: null,
    target: null,
    met: null,
  });
  fig({
    figure: 'route (match, decode, validate, build records), 10,000 flows',
    value: r10k.rate,
    unit: 'msg/s',
    conditions: `one core, FlowRouter.explain, 5-field JSON; ${(1e6 / r10k.rate).toFixed(1)} µs/msg vs ${(1e6 / r10.rate).toFixed(1)} µs with 10 flows`,
    baseline: { figure: 'route, 10 flows', value: r10.rate },
    ratio: r10k.rate / r10.rate,
    target: null,
    met: null,
  });

  // (a) raw ceiling.
  const a = await rawCeiling(broker.url, N);
  fig({
    figure: '(a) raw MQTT.js QoS 1 subscriber (ack only)',
    value: a.rate,
    unit: 'msg/s',
    conditions: `${cond}, ${a.messages} messages`,
    baseline: null,
    ratio: null,
    target: null,
    met: null,
  });

  // (b) the legacy port.
  const b = await legacyPort(broker.url, legacyDb.url, N_LEGACY);
  fig({
    figure: '(b) legacy per-message design (lock, update, insert per field, commit)',
    value: b.rate,
    unit: 'msg/s',
    conditions: `${cond}, ${b.messages} messages`,
    baseline: null,
    ratio: null,
    target: null,
    met: null,
  });

  // (c) the router.
  const c = await onFreshDatabase('main', (dbUrl) =>
    routerRun({
      brokerUrl: broker.url,
      brokerPid: broker.pid,
      dbUrl,
      label: 'main',
      count: N,
      connections: CONNECTIONS,
    }),
  );
  // (d) the database alone: what the limit is judged against.
  const d = await onFreshDatabase('ceiling', (dbUrl) => databaseCeiling(dbUrl, N, 128));
  const cConditions = `${cond}, fresh database, ${c.messages} messages, ${CONNECTIONS} connections in one shared subscription, 2 transactions in flight (the default), avg batch ${c.avgBatch.toFixed(1)}, router CPU ${Math.round(c.cpu * 100)} %, commits busy ${Math.round(c.commitBusy * 100)} %, ${cpuBreakdown(c)}; limit: ${limitOf(c, a.rate, b.rate, d.rate)}`;
  fig({
    figure: '(c) router, MariaDB',
    value: c.rate,
    unit: 'msg/s',
    conditions: cConditions,
    baseline: { figure: '(a) raw ceiling', value: a.rate },
    ratio: c.rate / a.rate,
    target: 'c/a >= 0.3',
    met: c.rate / a.rate >= 0.3,
  });
  fig({
    figure: '(c) router vs legacy',
    value: c.rate,
    unit: 'msg/s',
    conditions: cConditions,
    baseline: { figure: '(b) legacy', value: b.rate },
    ratio: c.rate / b.rate,
    target: 'c/b >= 10',
    met: c.rate / b.rate >= 10,
  });
  fig({
    figure: '(d) database ceiling: the same rows and transactions, no broker, no router',
    value: d.rate,
    unit: 'msg/s',
    conditions: `MariaDB 127.0.0.1:3306, fresh database, one connection, ${d.messages} messages in transactions of 128 (lock, key lookup, 5 records + 1 key each, counter, commit)`,
    baseline: { figure: '(a) raw ceiling', value: a.rate },
    ratio: d.rate / a.rate,
    target: null,
    met: null,
  });
  fig({
    figure: '(c) router, MariaDB rows',
    value: c.rate * 6,
    unit: 'rows/s',
    conditions: '5 records + 1 message key per message',
    baseline: null,
    ratio: null,
    target: null,
    met: null,
  });

  // Design sweep: connections in the shared subscription, transactions in flight.
  const sweep = (process.env['BENCH_SWEEP'] ?? '1:1,16:1,64:1,128:1,256:1,512:1,128:2').split(',');
  for (const point of sweep) {
    const [connections, concurrency] = point.split(':').map(Number) as [number, number];
    const r = await onFreshDatabase(`sweep${connections}x${concurrency}`, (dbUrl) =>
      routerRun({
        brokerUrl: broker.url,
        brokerPid: broker.pid,
        dbUrl,
        label: `sweep${connections}x${concurrency}`,
        // One connection commits one message at a time: fewer messages, same rate.
        count: connections === 1 ? Math.min(N_SWEEP, 2_000) : N_SWEEP,
        connections,
        env: { ROUTER_BATCH_CONCURRENCY: String(concurrency) },
      }),
    );
    fig({
      figure: `router MariaDB, ${connections} connection(s), ${concurrency} tx in flight [sweep]`,
      value: r.rate,
      unit: 'msg/s',
      conditions: `${cond}, ${r.messages} messages, avg batch ${r.avgBatch.toFixed(1)}, router CPU ${Math.round(r.cpu * 100)} %, commits busy ${Math.round(r.commitBusy * 100)} %, ${cpuBreakdown(r)}`,
      baseline: null,
      ratio: null,
      target: null,
      met: null,
    });
  }
  // The alternative: a local spool acknowledged on append (intake only).
  for (const sync of ['NORMAL', 'FULL'] as const) {
    const s = await spoolIngest(broker.url, N_SWEEP, sync);
    fig({
      figure: `spool intake, node:sqlite WAL synchronous=${sync}, 1 connection [design alternative]`,
      value: s.rate,
      unit: 'msg/s',
      conditions: `${cond}, ${s.messages} messages, before any draining`,
      baseline: null,
      ratio: null,
      target: null,
      met: null,
    });
  }

  // The embedded default: SQLite.
  const sq = await routerRun({
    brokerUrl: broker.url,
    dbUrl: `sqlite:${join(sqliteDir, 'bench.db')}`,
    label: 'sqlite',
    count: N_SWEEP * 2,
    connections: CONNECTIONS,
  });
  fig({
    figure: 'router, SQLite (WAL, synchronous=FULL)',
    value: sq.rate,
    unit: 'msg/s',
    conditions: `${cond.replace('MariaDB 127.0.0.1:3306', 'SQLite file')}, ${sq.messages} messages, avg batch ${sq.avgBatch.toFixed(1)}, router CPU ${Math.round(sq.cpu * 100)} %`,
    baseline: { figure: '(a) raw ceiling', value: a.rate },
    ratio: sq.rate / a.rate,
    target: null,
    met: null,
  });

  // Latency at a steady 1,000 msg/s.
  const l = await onFreshDatabase('latency', (dbUrl) =>
    routerRun({
      brokerUrl: broker.url,
      dbUrl,
      label: 'latency',
      count: 5_000,
      connections: CONNECTIONS,
      rate: 1_000,
    }),
  );
  fig({
    figure: 'p99 publish-to-commit latency at 1,000 msg/s',
    value: l.p99Ms,
    unit: 'ms',
    conditions: `${cond}, 5,000 messages, p50 ${l.p50Ms.toFixed(1)} ms`,
    baseline: null,
    ratio: null,
    target: '< 100 ms',
    met: l.p99Ms < 100,
  });

  const widths = [0, 1, 2, 3].map((i) =>
    Math.max(...[['figure', 'value', 'ratio', 'target'], ...rows].map((r) => (r[i] ?? '').length)),
  );
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] as number)).join(' | ');
  console.log(line(['figure', 'value', 'ratio', 'target']));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
  console.log(`\nrouter limit: ${limitOf(c, a.rate, b.rate, d.rate)}`);
  console.log(`conditions: ${cConditions}`);
  writeBenchFigures(figures);
} finally {
  await broker.stop();
  await legacyDb.drop();
  rmSync(sqliteDir, { recursive: true, force: true });
}
