// Issue 13 item 2: with the simulated BLE devices far faster than the outbox can take, the queue in
// front of the outbox stays bounded and its overflow is counted; every reading counted as accepted is
// in the outbox when the edge is killed (SIGKILL); SIGTERM exits within 10 s with a large backlog.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { freePort, skipIfMissing, startMosquitto, uniqueId, waitFor } from '@iotgw/testkit';
import { describe, expect, it } from 'vitest';
import { startEdge, tempDir, writeEdgeConfig } from './support/edge-harness.js';

const MAX_QUEUED = 100;

async function readings(port: number): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^iotgw_edge_readings_total\{outcome="(\w+)"\} (\d+)$/gm))
    out[m[1] as string] = Number(m[2]);
  return out;
}

describe.skipIf(skipIfMissing('mosquitto'))('iotgw-edge intake at full speed', () => {
  it('bounded, counted overflow; SIGKILL keeps every accepted reading; SIGTERM exits within 10 s', {
    timeout: 40_000,
  }, async () => {
    const dir = tempDir('intake');
    const gw = uniqueId('intake');
    const port = await freePort();
    const config = (url: string) =>
      writeEdgeConfig(dir, {
        gatewayId: gw,
        mqtt: { url, reconnect: { initialMs: 100, maxMs: 200 } },
        // 500 adverts every millisecond: far more than any outbox takes.
        ble: { enabled: true, dedupWindowS: 0, source: { kind: 'simulate', intervalMs: 1, batch: 500 } },
        intake: { maxQueued: MAX_QUEUED },
        health: { port },
      });

    // 1. No broker: everything stays in the outbox. Kill -9 after a while.
    const edge = await startEdge(config(`mqtt://127.0.0.1:${await freePort()}`));
    await new Promise((r) => setTimeout(r, 1_500));
    const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as {
      intakePending: number;
    };
    expect(health.intakePending).toBeLessThanOrEqual(MAX_QUEUED);
    const counted = await readings(port);
    expect(counted['queued']).toBeGreaterThan(0);
    expect(counted['dropped_overload']).toBeGreaterThan(0);
    expect(edge.lines.join('\n')).toContain('newest readings dropped (intake.maxQueued)');
    await edge.stop('SIGKILL');
    const db = new DatabaseSync(join(dir, 'state', 'outbox.db'));
    const { n } = db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE topic NOT LIKE '%/status/%'`).get() as {
      n: number;
    };
    db.close();
    // Every reading counted as accepted before the kill is in the outbox.
    expect(n).toBeGreaterThanOrEqual(counted['queued'] as number);

    // 2. With a broker and that backlog, still at full speed: SIGTERM ends the edge within 10 s.
    const mosquitto = await startMosquitto();
    try {
      const again = await startEdge(config(mosquitto.url));
      await waitFor(async () => ((await readings(port))['queued'] ?? 0) > 0, 'readings accepted again');
      const started = Date.now();
      const code = await again.stop('SIGTERM', 15_000);
      const tookMs = Date.now() - started;
      expect(code).toBe(0);
      expect(tookMs).toBeLessThan(10_000);
    } finally {
      await mosquitto.stop();
    }
  });
});
