// Issue 13 item 1 (edge): a provisioning list has a maximum and is refused as a whole beyond it,
// without building a status report proportional to it; /healthz says not-ok when the broker is away
// or the outbox head is stuck for too long; health messages do not pile up while the broker is away.
// Against a real Mosquitto with the project's settings.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { meterProvisioning, meterStatus } from '@iotgw/contracts';
import { SqliteOutbox } from '@iotgw/mqtt-connector';
import {
  freePort,
  type MosquittoProcess,
  skipIfMissing,
  startMosquitto,
  uniqueId,
  waitFor,
} from '@iotgw/testkit';
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, tempDir, writeEdgeConfig } from './support/edge-harness.js';

async function healthz(port: number): Promise<{ code: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { code: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe.skipIf(skipIfMissing('mosquitto'))('iotgw-edge limits (own Mosquitto)', () => {
  let mosquitto: MosquittoProcess;
  beforeAll(async () => {
    // The project's broker settings: max_packet_size 1 MiB.
    mosquitto = await startMosquitto();
  });
  afterAll(async () => {
    await mosquitto?.stop();
  });

  it('refuses a provisioning list longer than wmbus.maxMeters as a whole, with a small status report', async () => {
    const gw = uniqueId('prov');
    const config = writeEdgeConfig(tempDir('prov'), {
      gatewayId: gw,
      mqtt: { url: mosquitto.url },
      wmbus: { enabled: true, source: { kind: 'simulate', intervalMs: 60_000 } },
    });
    const client = await connectAsync(mosquitto.url, { protocolVersion: 5 });
    const statuses: string[] = [];
    client.on('message', (topic, payload) => {
      if (topic === meterStatus.build({ gatewayId: gw })) statuses.push(payload.toString());
    });
    await client.subscribeAsync(meterStatus.build({ gatewayId: gw }), { qos: 1 });
    const edge = await startEdge(config);
    try {
      await edge.waitForLine(/connected to the broker/);
      // The attack of the issue: 20,000 empty entries (~60 KB) would make a ~1.6 MB status report.
      const flood = JSON.stringify(Array.from({ length: 20_000 }, () => ({})));
      const refusal = (s: string) => s.includes('provisioning list of 20000 meters refused');
      await waitFor(async () => {
        await client.publishAsync(meterProvisioning.build({ gatewayId: gw }), flood, { qos: 1 });
        for (let i = 0; i < 50 && !statuses.some(refusal); i++) await new Promise((r) => setTimeout(r, 20));
        return statuses.some(refusal);
      }, 'the refusal in the status report');
      expect(statuses.find(refusal)?.length).toBeLessThan(10_000);
      const report = JSON.parse(statuses.find(refusal) ?? '{}') as Record<string, unknown>;
      expect(report['command']).toMatchObject({
        ok: false,
        error: 'provisioning list of 20000 meters refused: more than wmbus.maxMeters = 1000',
      });
      // Larger than 512 bytes per allowed meter: refused by its size, before parsing. (Beyond that
      // allowance plus 64 KiB the broker does not even deliver it: the edge announces its MQTT 5
      // Maximum Packet Size.)
      const huge = JSON.stringify([{ deviceId: '12345678', pad: 'x'.repeat(540_000) }]);
      await client.publishAsync(meterProvisioning.build({ gatewayId: gw }), huge, { qos: 1 });
      await waitFor(
        () => statuses.some((s) => s.includes('bytes refused: more than 512000 bytes')),
        'size refusal',
      );
      expect(edge.lines.join('\n')).not.toMatch(/too large|parked/);
    } finally {
      await edge.stop('SIGTERM');
      await client.endAsync();
    }
  });

  it('/healthz answers 503 when the broker has been unreachable longer than health.maxBrokerDownS', async () => {
    const port = await freePort();
    const deadPort = await freePort();
    const dir = tempDir('down');
    const config = writeEdgeConfig(dir, {
      gatewayId: uniqueId('down'),
      mqtt: { url: `mqtt://127.0.0.1:${deadPort}`, reconnect: { initialMs: 100, maxMs: 200 } },
      health: { port, maxBrokerDownS: 1, statusIntervalS: 1 },
    });
    const edge = await startEdge(config);
    try {
      await new Promise((r) => setTimeout(r, 2_200));
      const { code, body } = await healthz(port);
      expect(code).toBe(503);
      expect(body).toMatchObject({
        status: 'not-ok',
        problems: [expect.stringMatching(/^broker unreachable for \d+ s/)],
      });
    } finally {
      await edge.stop('SIGTERM');
    }
    // A health message every second while the broker was away: one waiting copy, not one per interval.
    const db = new DatabaseSync(join(dir, 'state', 'outbox.db'));
    const rows = db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE topic LIKE '%/status/health'`).get();
    db.close();
    expect(rows).toEqual({ n: 1 });
  });

  it('/healthz answers 503 when the outbox head has not moved for health.maxOutboxStallS (MQTT 3.1.1, limit unknown)', async () => {
    const port = await freePort();
    const dir = tempDir('stall');
    const gw = uniqueId('stall');
    // A message larger than the broker takes, left at the head of the outbox. Over MQTT 3.1.1 with no
    // mqtt.maxPacketBytes the edge cannot know the limit: the broker drops the connection each time.
    const outbox = new SqliteOutbox({ path: join(dir, 'state', 'outbox.db') });
    await outbox.append({
      topic: `v2/${gw}/sensors/big`,
      payload: Buffer.alloc(1_200_000, 120),
      qos: 1,
      retain: false,
      userProperties: {},
    });
    await outbox.close();
    const config = writeEdgeConfig(dir, {
      gatewayId: gw,
      mqtt: { url: mosquitto.url, protocolVersion: 4, reconnect: { initialMs: 100, maxMs: 200 } },
      health: { port, maxOutboxStallS: 1, maxBrokerDownS: 60 },
    });
    const edge = await startEdge(config);
    try {
      await waitFor(async () => (await healthz(port)).code === 503, 'a not-ok /healthz', 10_000);
      const { body } = await healthz(port);
      expect(body['problems']).toContainEqual(
        expect.stringMatching(/^outbox head \(message 1\) has not moved/),
      );
    } finally {
      await edge.stop('SIGTERM');
    }
  });
});
