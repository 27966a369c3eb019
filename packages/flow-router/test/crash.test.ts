import { FlowRepository } from '@iotgw/flow-router';
import { skipIfMissing } from '@iotgw/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { type ChildRouter, startChildRouter } from './support/child-router.js';
import { databaseKinds, type FreshDatabase, migratedDatabase } from './support/databases.js';
import { useOwnMosquitto } from './support/own-mosquitto.js';
import { publishNumbered } from './support/publisher.js';
import { auditFlow, recordCount, waitFor } from './support/record-audit.js';

const MESSAGES = 20_000;
const FIELDS = 5;

// Exactly once across a crash: a router process is killed with SIGKILL while messages flow, restarted,
// and the flow must hold every message once, with msg ids 1..N. Needs its own Mosquitto (persistence,
// unlimited queues): the machine's shared one drops QoS 1 messages at this speed.
describe.skipIf(skipIfMissing('mosquitto'))('crash: router killed with SIGKILL mid-stream', () => {
  const broker = useOwnMosquitto();

  describe.each(databaseKinds)('on $kind', ({ kind, skip }) => {
    let fresh: (FreshDatabase & { handle: import('@iotgw/flow-router').RouterDb }) | undefined;
    let child: ChildRouter | undefined;
    afterAll(async () => {
      await child?.kill();
      await fresh?.dispose();
    });

    it.skipIf(skip)(
      `stores ${MESSAGES} messages x ${FIELDS} fields exactly once, msg ids 1..${MESSAGES}`,
      async () => {
        fresh = await migratedDatabase(kind);
        const db = fresh.handle.db;
        const flow = await new FlowRepository(db).create({
          code: 'crash',
          topic: `crash-${kind}/+/data`,
          action: 'STORE_DB',
          payloadSchema: { seq: 'int', t: 'number', h: 'number', p: 'number', v: 'number' },
        });
        const env = {
          DATABASE_URL: fresh.url,
          FLOWS_RELOAD_INTERVAL_SECONDS: '0',
          MQTT_CLIENT_ID: `crash-${kind}-${process.pid}`,
          ROUTER_CHILD_MQTT_URL: broker.url,
          ROUTER_CHILD_CLIENT_PREFIX: `crash-${kind}-${process.pid}`,
          ROUTER_CHILD_CONNECTIONS: '32',
          // A group of its own: sessions of another run's routers would otherwise take their share while offline.
          ROUTER_CHILD_SHARE_GROUP: `crash-${kind}-${process.pid}`,
        };
        child = await startChildRouter(env);
        const published = publishNumbered({
          url: broker.url,
          clientId: `crash-pub-${kind}-${process.pid}`,
          topic: (seq) => `crash-${kind}/dev${seq % 10}/data`,
          payload: (seq) => ({
            seq,
            t: 20 + (seq % 7) / 10,
            h: 40 + (seq % 13),
            p: 1000 + seq / 1000,
            v: seq * 2,
          }),
          stampId: (seq) => `crash-${seq}`,
          count: MESSAGES,
          window: 500,
        });
        // Kill while messages flow: about a quarter stored, the rest queued or in flight.
        await waitFor(
          async () => (await recordCount(db, flow.id)) >= (MESSAGES * FIELDS) / 4,
          60_000,
          async () => `records: ${await recordCount(db, flow.id)}; child: ${child?.stderr()}`,
        );
        const killedAt = Date.now();
        await child.kill();
        const atKill = await recordCount(db, flow.id);
        expect(atKill).toBeLessThan(MESSAGES * FIELDS);
        child = await startChildRouter(env);
        expect(await published).toBe(MESSAGES);
        await waitFor(
          async () => (await recordCount(db, flow.id)) >= MESSAGES * FIELDS,
          90_000,
          async () =>
            `records: ${await recordCount(db, flow.id)} (at kill ${atKill}); child: ${child?.stderr()}`,
        );
        console.log(
          `[crash ${kind}] killed at ${atKill / FIELDS} messages; ${Date.now() - killedAt} ms from kill to all stored`,
        );
        // Give redeliveries that were still on their way a moment to show up if they were stored twice.
        await new Promise((r) => setTimeout(r, 500));
        await child.stop();
        const audit = await auditFlow(db, flow.id, FIELDS);
        expect(audit).toEqual({
          records: MESSAGES * FIELDS,
          lastMsgId: MESSAGES,
          distinctMsgIds: MESSAGES,
          minMsgId: 1,
          maxMsgId: MESSAGES,
          badGroups: 0,
          distinctSeq: MESSAGES,
        });
      },
      150_000,
    );
  });
});
