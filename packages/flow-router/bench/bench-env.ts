// Shared plumbing for the flow-router benchmark: own broker, fresh MariaDB database, publisher process.
import { spawn } from 'node:child_process';
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
