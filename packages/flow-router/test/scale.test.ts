import { FlowRepository } from '@iotgw/flow-router';
import { skipIfMissing } from '@iotgw/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { type ChildRouter, startChildRouter } from './support/child-router.js';
import { databaseKinds, type FreshDatabase, migratedDatabase } from './support/databases.js';
import { useOwnMosquitto } from './support/own-mosquitto.js';
import { publishNumbered } from './support/publisher.js';
import { auditFlow, exactlyOnce, recordCount, waitFor } from './support/record-audit.js';

const MESSAGES = 4_000;

// Two router processes share the load through one shared subscription and one database: every
// message stored once, and each flow's counter gap-free although both processes write to it.
describe.skipIf(skipIfMissing('mosquitto'))('scale: two router processes, one shared subscription', () => {
  const broker = useOwnMosquitto();

  describe.each(databaseKinds)('on $kind', ({ kind, skip }) => {
    let fresh: (FreshDatabase & { handle: import('@iotgw/flow-router').RouterDb }) | undefined;
    const children: ChildRouter[] = [];
    afterAll(async () => {
      for (const c of children) await c.kill();
      await fresh?.dispose();
    });

    it.skipIf(skip)(
      'stores every message once with gap-free counters per flow',
      async () => {
        fresh = await migratedDatabase(kind);
        const db = fresh.handle.db;
        const repo = new FlowRepository(db);
        const prefix = `scale-${kind}-${process.pid}`;
        const schema = { seq: 'int', t: 'number', h: 'number', p: 'number', v: 'number' };
        const even = await repo.create({
          code: 'even',
          topic: `${prefix}/even/+`,
          action: 'STORE_DB',
          payloadSchema: schema,
        });
        const odd = await repo.create({
          code: 'odd',
          topic: `${prefix}/odd/+`,
          action: 'STORE_DB',
          payloadSchema: schema,
        });
        const base = {
          DATABASE_URL: fresh.url,
          FLOWS_RELOAD_INTERVAL_SECONDS: '0',
          ROUTER_CHILD_MQTT_URL: broker.url,
          ROUTER_CHILD_CONNECTIONS: '8',
          ROUTER_CHILD_SHARE_GROUP: prefix,
        };
        const started = await Promise.all(
          ['a', 'b'].map((name) =>
            startChildRouter({
              ...base,
              MQTT_CLIENT_ID: `${prefix}-${name}`,
              ROUTER_CHILD_CLIENT_PREFIX: `${prefix}-${name}`,
            }),
          ),
        );
        children.push(...started);
        const acked = await publishNumbered({
          url: broker.url,
          clientId: `${prefix}-pub`,
          topic: (seq) => `${prefix}/${seq % 2 === 0 ? 'even' : 'odd'}/d${seq % 7}`,
          payload: (seq) => ({ seq, t: seq / 10, h: seq % 100, p: 1000, v: seq * 3 }),
          stampId: (seq) => `${prefix}-${seq}`,
          count: MESSAGES,
          window: 300,
        });
        expect(acked).toBe(MESSAGES);
        await waitFor(
          async () => (await recordCount(db, even.id)) + (await recordCount(db, odd.id)) >= MESSAGES * 5,
          60_000,
          async () => `records: ${(await recordCount(db, even.id)) + (await recordCount(db, odd.id))}`,
        );
        for (const c of children) await c.stop();
        for (const flow of [even, odd]) {
          expect(await auditFlow(db, flow.id, 5)).toEqual(exactlyOnce(MESSAGES / 2, 5));
        }
        const [a, b] = children.map((c) => c.stats()?.['stored'] ?? 0);
        expect((a ?? 0) + (b ?? 0)).toBe(MESSAGES);
        // Both processes took part.
        expect(a).toBeGreaterThan(0);
        expect(b).toBeGreaterThan(0);
      },
      120_000,
    );
  });
});
