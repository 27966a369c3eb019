// Shared plumbing for the flow-router benchmark: own broker, fresh MariaDB database, publisher process.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

export const MYSQL_BASE = process.env['IOTGW_BENCH_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test';

// testkit reads the announced services when it is loaded: announce the machine's MariaDB first.
process.env['IOTGW_TEST_MYSQL_URL'] ||= MYSQL_BASE;
const testkit = await import('@iotgw/testkit');

/** Own Mosquitto with the project's config (persistence, unlimited queues). */
export const startMosquitto = testkit.startMosquitto;

/** A fresh database on the machine's MariaDB (dropped at the end). */
export function createBenchDatabase(label: string) {
  return testkit.createMysqlDatabase(`iotgw_bench_${label}`);
}

export interface PublishRun {
  url: string;
  clientId: string;
  topicPrefix: string;
  count: number;
  rate?: number;
  window?: number;
  idPrefix?: string;
}

const publisherScript = fileURLToPath(new URL('./publish-process.ts', import.meta.url));

/** Runs the publisher process; resolves with its report. */
export function publish(run: PublishRun): Promise<{ acked: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [publisherScript], {
      env: { ...process.env, BENCH_PUBLISH: JSON.stringify(run) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += String(d);
    });
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`publisher exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as { acked: number; ms: number });
      } catch (e) {
        reject(e);
      }
    });
  });
}

/** Resolves when `done()` is true (polled), or rejects after `timeoutMs`. */
export async function until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** CPU used by this process between two samples, as a fraction of one core. */
export function cpuMeter(): () => number {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000 / (performance.now() - t0);
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

/** utime + stime of a process, in seconds (Linux /proc; clock ticks are 100 Hz on Linux). */
function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** The first local process whose command name is one of `names` (for example the MariaDB server). */
export function findProcess(names: readonly string[]): number | undefined {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (names.includes(readFileSync(`/proc/${entry}/comm`, 'utf8').trim())) return Number(entry);
      } catch {
        // The process ended while we looked.
      }
    }
  } catch {
    // No /proc (not Linux): no breakdown.
  }
  return undefined;
}

/** Busy and total CPU time of the whole machine, in seconds (/proc/stat, 100 Hz ticks). */
function machineCpuSeconds(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = v.reduce((a, b) => a + b, 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    return { busy: (total - idle) / 100, total: total / 100 };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

export interface MachineCpu {
  /** Share of all cores busy during the run (1 = every core busy). */
  readonly machineBusy: number;
  readonly cores: number;
  /** CPU of the database server and of the broker during the run, in cores (NaN when not local). */
  readonly database: number;
  readonly broker: number;
}

/** Where the machine's CPU went between two samples: the whole machine, the database, the broker. */
export function machineMeter(brokerPid: number | undefined): () => MachineCpu {
  const dbPid = findProcess(['mariadbd', 'mysqld']);
  const m0 = machineCpuSeconds();
  const db0 = dbPid === undefined ? Number.NaN : processCpuSeconds(dbPid);
  const b0 = brokerPid === undefined ? Number.NaN : processCpuSeconds(brokerPid);
  const t0 = performance.now();
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const m = machineCpuSeconds();
    return {
      machineBusy: (m.busy - m0.busy) / Math.max(1e-9, m.total - m0.total),
      cores: availableParallelism(),
      database: dbPid === undefined ? Number.NaN : (processCpuSeconds(dbPid) - db0) / seconds,
      broker: brokerPid === undefined ? Number.NaN : (processCpuSeconds(brokerPid) - b0) / seconds,
    };
  };
}
