import { MESSAGE_ID_PROPERTY } from '@iotgw/contracts';
import {
  DeadLetterRepository,
  FlowRepository,
  FlowRouter,
  RecordQuery,
  type RouterDb,
} from '@iotgw/flow-router';
import { createTestLogger } from '@iotgw/logger';
import { type TestBroker, testBroker } from '@iotgw/testkit';
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { databaseKinds, type FreshDatabase, migratedDatabase } from './support/databases.js';
import { createMqttTransport, type MqttTestTransport } from './support/mqtt-transport.js';
import { waitFor } from './support/record-audit.js';
import { testSettings } from './support/settings.js';

// The router through a real broker: CI's Mosquitto (MQTT 5, shared subscription over two connections)
// or, where none is announced, an in-process aedes (MQTT 3.1.1: no user properties, so redeliveries
// are recognised by the content hash).
describe('through a real broker', () => {
  let broker: TestBroker;
  beforeAll(async () => {
    broker = await testBroker();
  });
  afterAll(async () => {
    await broker?.close();
  });

  describe.each(databaseKinds)('on $kind', ({ kind, skip }) => {
    describe.skipIf(skip)(kind, () => {
      let fresh: FreshDatabase & { handle: RouterDb };
      let router: FlowRouter | undefined;
      let transport: MqttTestTransport | undefined;
      let publisher: mqtt.MqttClient | undefined;
      const prefix = `rt-${kind}-${process.pid}-${Date.now() % 100_000}`;

      beforeEach(async () => {
        fresh = await migratedDatabase(kind);
      });
      afterEach(async () => {
        await router?.stop();
        await transport?.close();
        await publisher?.endAsync();
        await fresh.dispose();
      });

      it('stores, deduplicates, dead-letters and follows flow reloads', async () => {
        const v5 = broker.protocolVersion === 5;
        const flows = new FlowRepository(fresh.handle.db);
        const climate = await flows.create({
          code: 'climate',
          topic: `${prefix}/+/climate`,
          action: 'STORE_DB',
          payloadSchema: { temp: 'number' },
        });
        transport = await createMqttTransport({
          url: broker.url,
          clientIdPrefix: prefix,
          protocolVersion: broker.protocolVersion,
          clean: true,
          ...(v5 ? { connections: 2, shareGroup: prefix, sessionExpirySeconds: 10 } : {}),
        });
        router = new FlowRouter({
          db: fresh.handle.db,
          dialect: fresh.handle.dialect,
          transport,
          logger: createTestLogger().logger,
          settings: testSettings(fresh.url, { MQTT_CLIENT_ID: prefix }),
        });
        await router.start();
        publisher = await mqtt.connectAsync(broker.url, {
          protocolVersion: broker.protocolVersion,
          clientId: `${prefix}-pub`,
        });
        const pub = (topic: string, body: string, id?: string) =>
          publisher?.publishAsync(topic, body, {
            qos: 1,
            ...(v5 && id ? { properties: { userProperties: { [MESSAGE_ID_PROPERTY]: id } } } : {}),
          });
        for (let i = 0; i < 20; i++)
          await pub(`${prefix}/room${i % 3}/climate`, JSON.stringify({ temp: 20 + i }), `m${i}`);
        // The same message twice (a redelivery after a lost PUBACK looks like this).
        await pub(`${prefix}/room0/climate`, JSON.stringify({ temp: 19 }), 'm0');
        await pub(`${prefix}/room0/climate`, JSON.stringify({ temp: 20 }), 'm0');
        await pub(`${prefix}/room1/climate`, '{"temp": "warm"}', 'bad');
        const q = new RecordQuery(fresh.handle.db);
        // Received is counted on arrival; wait for the effects to be committed too.
        const dead = new DeadLetterRepository(fresh.handle.db);
        await waitFor(
          async () =>
            (router?.stats().counters.received ?? 0) >= 23 &&
            (await q.count(climate.id)) >= (v5 ? 20 : 21) &&
            (await dead.list()).items.length >= 1,
          10_000,
          () => JSON.stringify(router?.stats()),
        );
        // By id (MQTT 5): both copies of m0 are duplicates of the first; by content hash (3.1.1): the
        // identical {"temp":20} on room0 is the duplicate, {"temp":19} is new.
        expect(await q.count(climate.id)).toBe(v5 ? 20 : 21);
        expect(router.stats().counters.duplicates).toBe(v5 ? 2 : 1);
        const dl = (await dead.list()).items;
        expect(dl.map((d) => [d.reasonCode, d.jsonPath])).toEqual([['PAYLOAD_ERR_SCHEMA', '$.temp']]);

        // Hot reload: a new flow is subscribed, the old one unsubscribed.
        const power = await flows.create({ code: 'power', topic: `${prefix}/+/power`, action: 'STORE_DB' });
        await flows.setEnabled(climate.id, false);
        const report = await router.reload();
        expect(report.subscribed).toEqual([`${prefix}/+/power`]);
        expect(report.unsubscribed).toEqual([`${prefix}/+/climate`]);
        await pub(`${prefix}/meter/power`, JSON.stringify({ w: 5 }), 'p1');
        await pub(`${prefix}/room0/climate`, JSON.stringify({ temp: 1 }), 'after');
        await waitFor(
          async () => (await q.count(power.id)) === 1,
          10_000,
          () => JSON.stringify(router?.stats()),
        );
        expect(await q.count(climate.id)).toBe(v5 ? 20 : 21);
      });
    });
  });
});
