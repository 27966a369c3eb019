// Issue 13.9: Mosquitto 2.0 sends retained messages on `$share` subscriptions, once per connection of the
// group; a router with 64 connections routed each retained config 63 times. With a share group the
// connector subscribes with Retain Handling 2 (no retained messages at subscribe time).
import { createTestLogger } from '@iotgw/logger';
import { MemoryOutbox, MqttConnector } from '@iotgw/mqtt-connector';
import { type MosquittoProcess, skipIfMissing, startMosquitto } from '@iotgw/testkit';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, uniquePrefix, waitFor } from './support/wait.js';

const CONNECTIONS = 4;
const RETAINED = 20;

describe.skipIf(skipIfMissing('mosquitto'))(
  'shared subscriptions and retained messages (own Mosquitto)',
  () => {
    let broker: MosquittoProcess | undefined;
    beforeAll(async () => {
      broker = await startMosquitto();
    });
    afterAll(async () => {
      await broker?.stop();
    });

    it(`delivers no retained message to a ${CONNECTIONS}-connection share group, live ones once`, async () => {
      const url = (broker as MosquittoProcess).url;
      const prefix = uniquePrefix('shared-retained');
      const publisher = await mqtt.connectAsync(url, { protocolVersion: 5, clientId: `pub-${process.pid}` });
      try {
        for (let i = 0; i < RETAINED; i++) {
          await publisher.publishAsync(`${prefix}/gw${i}/config`, `{"n":${i}}`, { qos: 1, retain: true });
        }
        const received: Array<{ topic: string; retain: boolean; connection: number }> = [];
        const connector = new MqttConnector(
          {
            url,
            clientId: `shared-${process.pid}`,
            protocolVersion: 5,
            connections: CONNECTIONS,
            shareGroup: 'router',
            clean: true,
            subscriptions: [{ filter: `${prefix}/#`, qos: 1 }],
            reconnect: { initialMs: 50, maxMs: 200 },
          },
          { logger: createTestLogger('shared-retained').logger, outbox: new MemoryOutbox() },
        );
        connector.onMessage(async (m) => {
          received.push({ topic: m.topic, retain: m.retain, connection: m.connection });
        });
        try {
          await connector.start();
          await waitFor(
            () => connector.metrics().connections.every((c) => c.connected),
            'every connection up',
          );
          // Mosquitto queues retained messages right after the SUBACK: give them time to arrive.
          await sleep(500);
          expect(received.filter((m) => m.retain)).toEqual([]);
          for (let i = 0; i < 10; i++) await publisher.publishAsync(`${prefix}/live`, `${i}`, { qos: 1 });
          await waitFor(() => received.length >= 10, 'ten live messages');
          await sleep(200);
          expect(received.map((m) => m.topic)).toEqual(Array(10).fill(`${prefix}/live`));
          expect(received.every((m) => !m.retain)).toBe(true);
        } finally {
          await connector.stop({ flushTimeoutMs: 200 });
        }
      } finally {
        for (let i = 0; i < RETAINED; i++) {
          await publisher.publishAsync(`${prefix}/gw${i}/config`, '', { qos: 1, retain: true });
        }
        await publisher.endAsync();
      }
    }, 30_000);
  },
);
