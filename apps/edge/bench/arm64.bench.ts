// Footprint of the Raspberry Pi artifact (issue 20), for information: the arm64 artifact's size (tar.gz and
// unpacked) and the arm64 program's RSS and CPU time per published reading, run with the arm64 Node under
// qemu-user for IOTGW_BENCH_ARM64_SECONDS (default 60) with simulated BLE and wM-Bus and the unit's Node
// flags. Baselines, measured in the same run: the x64 artifact and the x64 program on this machine's Node
// under the same load. Emulation inflates both figures (qemu's translation cache counts in RSS; every
// instruction is translated): they bound the Pi's, they are not the Pi's.
// Needs what scripts/ci/arm64-prereqs.sh installs; runs it when IOTGW_TEST_ARM64_NODE is not set.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { meterProvisioning } from '@iotgw/contracts';
import {
  appendBenchFigures,
  type BenchFigure,
  recordMqtt,
  repoRoot,
  serviceEnv,
  startAedes,
  startChildProgram,
  startMosquitto,
} from '@iotgw/testkit';
import { defaultSimulatedMeters } from '@iotgw/wmbus/simulator';
import { stringify } from 'yaml';

const seconds = Number(process.env['IOTGW_BENCH_ARM64_SECONDS'] ?? 60);
const WARM_UP_MS = 10_000;

/** The arm64 node and qemu, as announced, or as the prerequisites script announces them. */
function arm64Tools(): { node: string; qemu: string | undefined } | undefined {
  let node = process.env['IOTGW_TEST_ARM64_NODE'];
  let qemu = process.env['IOTGW_TEST_QEMU_AARCH64'];
  if (!node) {
    const r = spawnSync('bash', [join(repoRoot, 'scripts/ci/arm64-prereqs.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    node = /IOTGW_TEST_ARM64_NODE='([^']*)'/.exec(r.stdout)?.[1];
    qemu = /IOTGW_TEST_QEMU_AARCH64='([^']*)'/.exec(r.stdout)?.[1];
  }
  return node ? { node, qemu: qemu || undefined } : undefined;
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) total += statSync(join(e.parentPath, e.name)).size;
  return total;
}

/** Builds the artifact for `arch`, unpacks it; returns its sizes and its folder. */
function artifact(arch: 'arm64' | 'x64', work: string) {
  const out = join(work, `artifacts-${arch}`);
  const r = spawnSync(
    process.execPath,
    [join(repoRoot, 'apps/edge/scripts/build-artifact.mjs'), '--arch', arch, '--out', out],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (r.status !== 0) throw new Error(`the ${arch} artifact did not build`);
  const tarball = join(out, readdirSync(out).find((f) => f.endsWith('.tar.gz')) ?? '');
  const unpacked = join(work, `opt-${arch}`);
  spawnSync('mkdir', ['-p', unpacked]);
  if (spawnSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']).status !== 0)
    throw new Error(`cannot unpack ${tarball}`);
  return { dir: unpacked, gz: statSync(tarball).size, bytes: folderBytes(unpacked) };
}

function procStat(pid: number): { rssMb: number; cpuS: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssMb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  // Fields after the command name: utime and stime are the 12th and 13th (clock ticks, 100 per second).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { rssMb, cpuS: (Number(fields[11]) + Number(fields[12])) / 100 };
}

/** Runs one program for `seconds` under load; RSS maximum and CPU seconds per published reading. */
async function footprint(
  label: string,
  command: string,
  args: string[],
  brokerUrl: string,
  v: 4 | 5,
  work: string,
) {
  const gw = `bench-${label}-${process.pid}`;
  const dir = mkdtempSync(join(work, 'run-'));
  const config = join(dir, 'edge.yaml');
  writeFileSync(
    config,
    stringify({
      version: 1,
      gatewayId: gw,
      stateDir: join(dir, 'state'),
      mqtt: { url: brokerUrl },
      ble: { enabled: true, source: { kind: 'simulate', intervalMs: 500 } },
      wmbus: { enabled: true, source: { kind: 'simulate', intervalMs: 1000 } },
      log: { level: 'warn', format: 'json' },
    }),
  );
  const rec = await recordMqtt(brokerUrl, [`${gw}/+/update`, `v2/${gw}/+/data`, `v2/${gw}/ble/+/data`], {
    protocolVersion: v,
  });
  const edge = startChildProgram(command, [...args, 'run', '--config', config], {
    env: { LOG_LEVEL: 'info' },
  });
  await edge.waitForLine(/iotgw-edge started/, 120_000);
  const monitored = defaultSimulatedMeters
    .filter((m) => m.role === 'monitored')
    .map((m) => ({ deviceId: m.id, manufacturerKey: m.manufacturerKey, encryptionKey: m.provisionKey }));
  await rec.client.publishAsync(meterProvisioning.build({ gatewayId: gw }), JSON.stringify(monitored), {
    qos: 1,
  });
  await new Promise((r) => setTimeout(r, WARM_UP_MS));
  const pid = edge.pid as number;
  const start = procStat(pid);
  const readingsAtStart = rec.messages.length;
  let rssMax = start.rssMb;
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 2_000));
    rssMax = Math.max(rssMax, procStat(pid).rssMb);
  }
  const end = procStat(pid);
  const readings = rec.messages.length - readingsAtStart;
  await edge.stop('SIGTERM', 30_000);
  await rec.close();
  return { rssMax, readings, cpuMsPerReading: ((end.cpuS - start.cpuS) * 1000) / Math.max(1, readings) };
}

const tools = arm64Tools();
if (!tools) {
  console.log('[skip] no arm64 Node (scripts/ci/arm64-prereqs.sh could not install it): arm64 bench skipped');
  process.exit(0);
}
const work = mkdtempSync(join(tmpdir(), 'iotgw-edge-arm64-bench-'));
const arm = artifact('arm64', work);
const x64 = artifact('x64', work);
const unit = readFileSync(join(repoRoot, 'infra/systemd/iotgw-edge.service'), 'utf8');
const nodeFlags = /^ExecStart=\S+node((?:\s+--\S+)*)\s/m.exec(unit)?.[1]?.trim().split(/\s+/) ?? [];
const broker = serviceEnv.mosquittoBin
  ? await startMosquitto().then((m) => ({ url: m.url, v: 5 as const, close: m.stop }))
  : await startAedes().then((a) => ({ url: a.url, v: 4 as const, close: a.close }));
const armArgs = [...nodeFlags, join(arm.dir, 'iotgw-edge.mjs')];
const emulated = await footprint(
  'arm64',
  tools.qemu ?? tools.node,
  tools.qemu ? [tools.node, ...armArgs] : armArgs,
  broker.url,
  broker.v,
  work,
);
const native = await footprint(
  'x64',
  process.execPath,
  [...nodeFlags, join(x64.dir, 'iotgw-edge.mjs')],
  broker.url,
  broker.v,
  work,
);
await broker.close();

const mb = (b: number) => b / 2 ** 20;
const load = `${seconds} s after ${WARM_UP_MS / 1000} s warm-up, node ${nodeFlags.join(' ')}, BLE simulate every 500 ms, wM-Bus simulate every 1 s, 2 meters provisioned`;
const info = (f: Omit<BenchFigure, 'target' | 'met'>): BenchFigure => ({ ...f, target: null, met: null });
const figures: BenchFigure[] = [
  info({
    figure: 'edge arm64 artifact, tar.gz',
    value: mb(arm.gz),
    unit: 'MB',
    conditions: 'iotgw-edge-<version>-linux-arm64.tar.gz with the arm64 HCI socket',
    baseline: { figure: 'x64 artifact, tar.gz', value: mb(x64.gz) },
    ratio: arm.gz / x64.gz,
  }),
  info({
    figure: 'edge arm64 artifact, unpacked',
    value: mb(arm.bytes),
    unit: 'MB',
    conditions: 'sum of file sizes after tar -xzf',
    baseline: { figure: 'x64 artifact, unpacked', value: mb(x64.bytes) },
    ratio: arm.bytes / x64.bytes,
  }),
  info({
    figure: 'edge arm64 RSS under qemu-user, maximum',
    value: emulated.rssMax,
    unit: 'MB',
    conditions: `${load}; qemu's own memory included`,
    baseline: { figure: 'x64 artifact on this Node, maximum RSS', value: native.rssMax },
    ratio: emulated.rssMax / native.rssMax,
  }),
  info({
    figure: 'edge arm64 CPU per reading under qemu-user',
    value: emulated.cpuMsPerReading,
    unit: 'ms CPU per published reading',
    conditions: `${load}; ${emulated.readings} readings (x64: ${native.readings})`,
    baseline: { figure: 'x64 artifact on this Node, CPU per reading', value: native.cpuMsPerReading },
    ratio: emulated.cpuMsPerReading / native.cpuMsPerReading,
  }),
];
for (const f of figures)
  console.log(
    `${f.figure}: ${f.value.toFixed(2)} ${f.unit} (baseline ${f.baseline?.value.toFixed(2)}, ×${f.ratio?.toFixed(2)})`,
  );
// The edge's other bench (run.bench.ts) runs first in the same `bench` script and wrote its figures to
// the same file: keep them.
appendBenchFigures(figures);
