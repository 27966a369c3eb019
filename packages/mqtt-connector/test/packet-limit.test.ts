// Issue 13 item 1: nothing the connector publishes exceeds the broker's packet limit, and one message
// the broker can never take does not block the queue. Against a real Mosquitto with a small
// max_packet_size (it announces it in the MQTT 5 CONNACK; a 3.1.1 client learns it from the config).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createTestLogger } from '@iotgw/logger';
import { MemoryOutbox, MqttConnector, SqliteOutbox } from '@iotgw/mqtt-connector';
import { type MosquittoProcess, skipIfMissing, startMosquitto } from '@iotgw/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribe } from './support/subscriber.js';
import { uniquePrefix, waitFor } from './support/wait.js';

const LIMIT = 4_096;
const big = 'x'.repeat(8_000);

describe.skipIf(skipIfMissing('mosquitto'))(
  'the broker packet limit (own Mosquitto, max_packet_size 4096)',
  () => {
    let mosquitto: MosquittoProcess;
    const dir = mkdtempSync(join(tmpdir(), 'iotgw-packet-limit-'));
    beforeAll(async () => {
      mosquitto = await startMosquitto({ extraConfig: `max_packet_size ${LIMIT}` });
    });
    afterAll(async () => {
      await mosquitto?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('MQTT 5: reads Maximum Packet Size from CONNACK and refuses a larger publish() with a clear error', async () => {
      const c = new MqttConnector(
        { url: mosquitto.url, clientId: `iotgw-t-pl5-${process.pid}` },
        { logger: createTestLogger('pl').logger, outbox: new MemoryOutbox() },
      );
      await c.start();
      try {
        await waitFor(() => c.connected, 'connected');
        expect(c.maxPacketBytes).toBe(LIMIT);
        await expect(c.publish('t/big', big)).rejects.toMatchObject({
          code: 'MQTT_ERR_TOO_LARGE',
          message: expect.stringMatching(/larger than the broker takes \(4096 bytes\)/),
        });
        await expect(c.publish('t/small', 'ok')).resolves.toMatchObject({ id: expect.any(String) });
      } finally {
        await c.stop({ flushTimeoutMs: 1_000 });
      }
    });

    it('MQTT 5: announces maxIncomingPacketBytes in CONNECT, so the broker sends nothing larger', async () => {
      const prefix = uniquePrefix('pl-in');
      const c = new MqttConnector(
        {
          url: mosquitto.url,
          clientId: `iotgw-t-plin-${process.pid}`,
          maxIncomingPacketBytes: 2_048,
          subscriptions: [`${prefix}/#`],
        },
        { logger: createTestLogger('pl').logger, outbox: new MemoryOutbox() },
      );
      const received: number[] = [];
      c.onMessage(async (m) => {
        received.push(m.payload.length);
      });
      await c.start();
      const sender = await subscribe(mosquitto.url, `${prefix}/none`, { protocolVersion: 5, clean: true });
      try {
        await waitFor(() => c.connected, 'connected');
        await new Promise((r) => setTimeout(r, 200)); // the subscription is restored after connect
        await sender.client.publishAsync(`${prefix}/a`, 'y'.repeat(3_000), { qos: 1 });
        await sender.client.publishAsync(`${prefix}/a`, 'small', { qos: 1 });
        await waitFor(() => received.length > 0, 'the small message');
        expect(received).toEqual([5]);
      } finally {
        await c.stop({ flushTimeoutMs: 500 });
        await sender.close();
      }
    });

    for (const version of [5, 4] as const) {
      it(`MQTT ${version}: an oversized message already in the outbox is parked, counted, logged; the queue moves on`, async () => {
        const prefix = uniquePrefix(`pl${version}`);
        const path = join(dir, `outbox-${version}.db`);
        // Left by an earlier run (or a broker with a larger limit): too large, followed by small ones.
        const before = new SqliteOutbox({ path });
        const message = (payload: string) => ({
          topic: `${prefix}/m`,
          payload: Buffer.from(payload),
          qos: 1 as const,
          retain: false,
          userProperties: {},
        });
        await before.append(message(big));
        for (let i = 0; i < 5; i++) await before.append(message(`small-${i}`));
        await before.close();

        const sub = await subscribe(mosquitto.url, `${prefix}/#`, { protocolVersion: 5, clean: true });
        const outbox = new SqliteOutbox({ path });
        const log = createTestLogger('pl');
        const c = new MqttConnector(
          {
            url: mosquitto.url,
            clientId: `iotgw-t-pl${version}-${process.pid}`,
            protocolVersion: version,
            ...(version === 4 ? { maxPacketBytes: LIMIT } : {}),
          },
          { logger: log.logger, outbox },
        );
        await c.start();
        try {
          await waitFor(() => sub.messages.length === 5, 'the five small messages', 5_000);
          expect(sub.messages.map((m) => m.payload)).toEqual([0, 1, 2, 3, 4].map((i) => `small-${i}`));
          await waitFor(() => outbox.depth === 0, 'an empty outbox');
          expect(c.metrics().tooLarge).toBe(1);
          expect(outbox.stats().parked).toBe(1);
          expect(log.text()).toMatch(/message parked .*larger than the broker's maximum packet size of 4096/);
          if (version === 4) {
            await expect(c.publish(`${prefix}/m`, big)).rejects.toMatchObject({ code: 'MQTT_ERR_TOO_LARGE' });
          }
        } finally {
          await c.stop({ flushTimeoutMs: 1_000 });
          await outbox.close();
          await sub.close();
        }
        // Kept aside in the file, with its reason, not lost.
        const db = new DatabaseSync(path);
        const parked = db.prepare('SELECT topic, length(payload) AS bytes, reason FROM outbox_parked').all();
        db.close();
        expect(parked).toEqual([
          { topic: `${prefix}/m`, bytes: big.length, reason: expect.stringContaining('maximum packet size') },
        ]);
      });
    }
  },
);
