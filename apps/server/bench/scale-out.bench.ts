// Scale-out on Galera (issue 19): the long version of apps/server/test/scale-out-galera.test.ts and the
// capacity figures of docs/scaling.md, all in one run on this machine:
//   (a) 1 replica on a single MariaDB (the machine's, a fresh database)   — the baseline
//   (b) 3 replicas in one share group on a 3-node Galera cluster, no faults
//   (c) 3 replicas on Galera, 50,000 messages, one Galera node and one replica SIGKILLed and restarted
// Every run is counted from the database: lost, duplicated, msg-id gaps, dead letters; (c) must show 0.
// Run: pnpm --filter @iotgw/server build && node bench/scale-out.bench.ts (pnpm bench runs it too).
const MYSQL = process.env['IOTGW_BENCH_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test';
process.env['IOTGW_TEST_MYSQL_URL'] ||= MYSQL;
const testkit = await import('@iotgw/testkit');
const { runScaleOut } = await import('../test/support/scale-out-run.ts');

const missing = testkit.galeraMissing();
if (missing) {
  console.error(`scale-out bench needs Galera: ${missing}`);
  process.exit(1);
}
const capacityMessages = Number(process.env['IOTGW_BENCH_SCALE_MESSAGES'] ?? 10_000);
const longMessages = Number(process.env['IOTGW_BENCH_SCALE_LONG_MESSAGES'] ?? 50_000);

const cluster = await testkit.startGaleraCluster({ databases: ['iotgw_scale_b', 'iotgw_scale_c'] });
const results: { label: string; r: Awaited<ReturnType<typeof runScaleOut>> }[] = [];
try {
  const log = (line: string) => console.log(`  ${line}`);
  {
    const broker = await testkit.startMosquitto();
    const db = await testkit.createMysqlDatabase('iotgw_scale_a');
    try {
      console.log(`(a) 1 replica, single MariaDB, ${capacityMessages} messages`);
      const r = await runScaleOut({
        cluster,
        broker,
        database: db.name,
        singleDatabaseUrl: db.url,
        replicas: 1,
        messages: capacityMessages,
        log,
      });
      results.push({ label: '1 replica on a single MariaDB', r });
    } finally {
      await broker.stop();
      await db.drop();
    }
  }
  for (const [label, database, messages, faults] of [
    ['3 replicas on 3-node Galera', 'iotgw_scale_b', capacityMessages, false],
    ['3 replicas on 3-node Galera, node and replica SIGKILLed', 'iotgw_scale_c', longMessages, true],
  ] as const) {
    const broker = await testkit.startMosquitto();
    try {
      console.log(`(${results.length === 1 ? 'b' : 'c'}) ${label}, ${messages} messages`);
      results.push({ label, r: await runScaleOut({ cluster, broker, database, messages, faults, log }) });
    } finally {
      await broker.stop();
    }
  }
} finally {
  await cluster.stop();
}

const base = results[0] as (typeof results)[number];
const figures = results.map(({ label, r }) => ({
  figure: `scale-out: ${label}`,
  value: r.msgPerS,
  unit: 'msg/s',
  conditions: `${r.published} distinct QoS 1 messages over 3 flows, own Mosquitto, servers as child processes (8 connections each, one share group), 2 shared cores; lost ${r.lost}, duplicated ${r.duplicated}, gaps ${r.gaps}, dead letters ${r.deadLetters}, conflict retries ${r.conflictRetries}${r.events.length > 0 ? `; ${r.events.join('; ')}` : ''}`,
  baseline: label === base.label ? null : { figure: `scale-out: ${base.label}`, value: base.r.msgPerS },
  ratio: label === base.label ? null : Math.round((r.msgPerS / base.r.msgPerS) * 100) / 100,
  target: label.includes('SIGKILL') ? '0 lost, 0 duplicated, 0 gaps' : null,
  met: label.includes('SIGKILL')
    ? r.lost === 0 && r.duplicated === 0 && r.gaps === 0 && r.countersExact
    : null,
}));
console.log('figure'.padEnd(70), 'value'.padStart(12), '  ratio');
for (const f of figures)
  console.log(
    f.figure.padEnd(70),
    `${f.value} ${f.unit}`.padStart(12),
    f.ratio === null ? '' : `  ${f.ratio}×`,
  );
// pnpm bench collects one file per package: add to what run.bench.ts wrote before.
testkit.appendBenchFigures(figures);
if (figures.some((f) => f.met === false)) process.exit(1);
