// Fault test (issue 5 acceptance): 10,000 QoS 1 messages while the broker is stopped for part of the
// run and started again; a subscriber with a persistent session must receive every one of them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestLogger } from '@iotgw/logger';
import { MqttConnector, SqliteOutbox } from '@iotgw/mqtt-connector';
import { skipIfMissing, startAedes, startMosquitto } from '@iotgw/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { subscribe } from './support/subscriber.js';
import { uniquePrefix, waitFor } from './support/wait.js';

const TOTAL = 10_000;
const BATCH = 250;
const dir = mkdtempSync(join(tmpdir(), 'iotgw-fault-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Broker {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

async function run(name: string, broker: Broker, protocolVersion: 4 | 5): Promise<void> {
  const prefix = uniquePrefix(`fault-${name}`);
  const sub = await subscribe(broker.url, `${prefix}/#`, { protocolVersion, clean: false });
  const log = createTestLogger('fault-test', 'info');
  const outbox = new SqliteOutbox({ path: join(dir, `${name}.db`) });
  const connector = new MqttConnector(
    {
      url: broker.url,
      clientId: `iotgw-t-fault-${name}-${process.pid}`,
      protocolVersion,
      reconnect: { initialMs: 50, maxMs: 400 },
    },
    { logger: log.logger, outbox },
  );
  try {
    await connector.start();
    let stoppedAt = -1;
    for (let i = 0; i < TOTAL; i += BATCH) {
      if (i === 3_000) {
        await broker.stop();
        stoppedAt = connector.metrics().outbox.sent;
      }
      if (i === 7_000) await broker.start();
      await Promise.all(
        Array.from({ length: BATCH }, (_, k) =>
          connector.publish(`${prefix}/m/${(i + k) % 7}`, JSON.stringify({ i: i + k })),
        ),
      );
    }
    try {
      await waitFor(() => sub.unique.size >= TOTAL, `${TOTAL} distinct messages`, 60_000);
    } catch (err) {
      const m = connector.metrics();
      const state = {
        outbox: m.outbox,
        inflight: m.inflight,
        transmitted: m.transmitted,
        connections: m.connections,
      };
      throw new Error(
        `${(err as Error).message}: the subscriber has ${sub.unique.size} (connected: ${sub.client.connected}); connector ${JSON.stringify(state)}`,
      );
    }
    const indices = new Set(sub.messages.map((m) => (JSON.parse(m.payload) as { i: number }).i));
    expect(indices.size).toBe(TOTAL);
    expect(Math.min(...indices)).toBe(0);
    expect(Math.max(...indices)).toBe(TOTAL - 1);
    if (protocolVersion === 5) {
      expect(sub.messages.every((m) => m.msgId?.startsWith(`${outbox.id}:`))).toBe(true);
    }
    await waitFor(() => connector.metrics().outbox.depth === 0, 'an empty outbox');
    const m = connector.metrics();
    expect(stoppedAt).toBeLessThan(TOTAL);
    expect(m.reconnects).toBeGreaterThan(0);
    console.info(
      `[fault ${name}] received ${sub.messages.length} for ${TOTAL} published (${sub.messages.length - sub.unique.size} duplicates), ${m.reconnects} reconnect attempts, ${m.transmitted} transmissions`,
    );
  } finally {
    await connector.stop({ flushTimeoutMs: 500 });
    await outbox.close();
    await sub.close();
  }
}

describe('fault: the broker goes away mid-run and comes back', () => {
  it('aedes stopped and started: the subscriber receives all 10,000 messages', {
    timeout: 90_000,
  }, async () => {
    const aedes = await startAedes();
    try {
      await run('aedes', aedes, 4);
    } finally {
      await aedes.close();
    }
  });

  describe.skipIf(skipIfMissing('mosquitto'))('own Mosquitto (MQTT 5)', () => {
    it('Mosquitto stopped (SIGTERM) and started: the subscriber receives all 10,000 messages', {
      timeout: 90_000,
    }, async () => {
      // Started as root, Mosquitto drops to user `mosquitto`, which cannot write the persistence file into
      // the test's private folder: the subscriber's session would not survive the restart.
      const asRoot = process.getuid?.() === 0;
      const mosquitto = await startMosquitto(asRoot ? { extraConfig: 'user root' } : {});
      try {
        await run('mosquitto', { ...mosquitto, url: mosquitto.url, close: () => mosquitto.stop() }, 5);
      } finally {
        await mosquitto.stop();
      }
    });
  });
});
