// Crash test (issue 5 acceptance): a child process publishes into a SQLite outbox while the broker is
// down and is killed with SIGKILL; a new process with the same outbox delivers every message whose
// publish() had resolved in the child.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestLogger } from '@iotgw/logger';
import { MqttConnector, SqliteOutbox } from '@iotgw/mqtt-connector';
import { freePort, type TestBroker, testBroker } from '@iotgw/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribe } from './support/subscriber.js';
import { waitFor } from './support/wait.js';

const child = fileURLToPath(new URL('./support/crash-child.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'iotgw-crash-'));
let broker: TestBroker;

beforeAll(async () => {
  broker = await testBroker();
});
afterAll(async () => {
  await broker?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the child until `atLeast` publishes resolved, kills it with SIGKILL, returns the resolved lines. */
async function publishAndKill(path: string, policy: 'always' | 'group', atLeast: number) {
  const deadBroker = `mqtt://127.0.0.1:${await freePort()}`;
  const proc = spawn(process.execPath, [child, path, deadBroker, policy], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => {
    err += String(d);
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    proc.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  await new Promise<void>((resolve, reject) => {
    proc.stdout.on('data', (d) => {
      out += String(d);
      if (out.split('\n').length > atLeast) resolve();
    });
    exited.then((how) => reject(new Error(`the child exited early (${how}): ${err}`)));
  });
  proc.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  const lines = out.split('\n');
  lines.pop(); // a line without its newline may be cut short: only complete lines count
  return lines.map((l) => {
    const [id, n] = l.split(' ');
    return { id: id as string, n: Number(n) };
  });
}

describe('crash: SIGKILL right after publish() resolved', () => {
  it.each([['group'], ['always']] as const)(
    'fsync %s: a new process with the same outbox delivers every resolved message',
    async (policy) => {
      const path = join(dir, `${policy}.db`);
      const resolved = await publishAndKill(path, policy, 400);
      expect(resolved.length).toBeGreaterThanOrEqual(400);
      const sub = await subscribe(broker.url, 'iotgw-crash/#', {
        protocolVersion: broker.protocolVersion,
        clean: true,
      });
      const outbox = new SqliteOutbox({ path });
      const log = createTestLogger('crash-test', 'info');
      const connector = new MqttConnector(
        {
          url: broker.url,
          clientId: `iotgw-t-crash-${process.pid}-${policy}`,
          protocolVersion: broker.protocolVersion,
        },
        { logger: log.logger, outbox },
      );
      try {
        expect(resolved[0]?.id.startsWith(`${outbox.id}:`)).toBe(true);
        const atRestart = outbox.depth;
        expect(atRestart).toBeGreaterThanOrEqual(resolved.length);
        await connector.start();
        const wanted = new Set(resolved.map((r) => r.n));
        const got = () => new Set(sub.messages.map((m) => (JSON.parse(m.payload) as { n: number }).n));
        await waitFor(() => [...wanted].every((n) => got().has(n)), `all ${wanted.size} resolved messages`);
        if (broker.protocolVersion === 5) {
          const ids = new Set(sub.messages.map((m) => m.msgId));
          expect(resolved.every((r) => ids.has(r.id))).toBe(true);
        }
        console.info(
          `[crash ${policy}] ${resolved.length} publish() resolved before SIGKILL, ${atRestart} in the outbox at restart, all resolved ones delivered`,
        );
      } finally {
        await connector.stop({ flushTimeoutMs: 2_000 });
        await outbox.close();
        await sub.close();
      }
    },
    60_000,
  );
});
