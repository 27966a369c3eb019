// Issue 13, router side of items 4, 5, 8 and 9: secrets never stored, message ids scoped by topic,
// field names the database cannot tell apart refused up front, retained deliveries on shared
// subscriptions ignored.
import { MESSAGE_ID_PROPERTY } from '@iotgw/contracts';
import {
  DeadLetterRepository,
  errorText,
  FlowRepository,
  FlowRouter,
  RecordQuery,
  type RouterDb,
} from '@iotgw/flow-router';
import { createTestLogger } from '@iotgw/logger';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseKinds, type FreshDatabase, migratedDatabase } from './support/databases.js';
import { MemoryTransport } from './support/memory-transport.js';
import { testSettings } from './support/settings.js';

const AES_KEY = '00112233445566778899AABBCCDDEEFF';
const NESTED_KEY = 'nested-secret-0451';
const TEXT_KEY = 'text-secret-9917';

describe.each(databaseKinds)('router hardening on $kind', ({ kind, skip }) => {
  describe.skipIf(skip)(kind, () => {
    let fresh: FreshDatabase & { handle: RouterDb };
    let flows: FlowRepository;
    let transport: MemoryTransport;
    let router: FlowRouter | undefined;
    let logs: ReturnType<typeof createTestLogger>;

    beforeEach(async () => {
      fresh = await migratedDatabase(kind);
      flows = new FlowRepository(fresh.handle.db);
      transport = new MemoryTransport();
      logs = createTestLogger('hardening');
    });
    afterEach(async () => {
      await router?.stop();
      router = undefined;
      await fresh.dispose();
    });

    async function start() {
      router = new FlowRouter({
        db: fresh.handle.db,
        dialect: fresh.handle.dialect,
        transport,
        logger: logs.logger,
        settings: testSettings(fresh.url),
      });
      await router.start();
      return router;
    }

    async function storedText(): Promise<string> {
      const db = fresh.handle.db;
      const records = await db.selectFrom('data_records').select(['str_value', 'json_value']).execute();
      const dead = await db.selectFrom('dead_letters').select(['payload']).execute();
      return [
        ...records.map((r) => `${r.str_value ?? ''} ${r.json_value ?? ''}`),
        ...dead.map((d) => Buffer.from(d.payload).toString('utf8')),
      ].join('\n');
    }

    it('never routes topics that carry secrets, and redacts key fields in records and dead letters (13.4)', async () => {
      const all = await flows.create({ code: 'all', topic: 'v2/#', action: 'STORE_DB' });
      const strict = await flows.create({
        code: 'strict',
        topic: 'v2/+/+/data',
        action: 'STORE_DB',
        payloadSchema: { v: 'number' },
      });
      const r = await start();
      const provisioning = [{ deviceId: '12345678', manufacturerKey: 'KAM', encryptionKey: AES_KEY }];
      await transport.deliver('v2/gw1/sensors/set', JSON.stringify(provisioning));
      await transport.deliver('v2/gw1/command', { command: 'stop' });
      expect(r.stats().counters.secretTopics).toBe(2);
      expect(r.explain('v2/gw1/sensors/set', JSON.stringify(provisioning))).toEqual([]);

      // A reading that (wrongly) carries keys: stored by `all`, dead-lettered by `strict` (v is no number).
      await transport.deliver('v2/gw1/KAM-12345678/data', {
        v: 'high',
        encryptionKey: AES_KEY,
        meta: { key: NESTED_KEY, ok: 1 },
      });
      // Not JSON at all, but a quoted key pair in it.
      await transport.deliver('v2/gw1/KAM-1/data', `{"aesKey": "${TEXT_KEY}", "v": 1,,}`);

      const records = await new RecordQuery(fresh.handle.db).query({ flowId: all.id, limit: 100 });
      const fields = Object.fromEntries(records.records.map((rec) => [rec.field, rec.value]));
      expect(fields).toEqual({ v: 'high', encryptionKey: '[redacted]', meta: { key: '[redacted]', ok: 1 } });
      const dead = (await new DeadLetterRepository(fresh.handle.db).list()).items;
      expect(dead.map((d) => `${d.flowCode} ${d.reasonCode}`).sort()).toEqual([
        'all PAYLOAD_ERR_JSON',
        'strict PAYLOAD_ERR_JSON',
        'strict PAYLOAD_ERR_SCHEMA',
      ]);
      expect(
        dead.find((d) => d.flowId === strict.id && d.reasonCode === 'PAYLOAD_ERR_SCHEMA')?.payloadText,
      ).toBe(JSON.stringify({ v: 'high', encryptionKey: '[redacted]', meta: { key: '[redacted]', ok: 1 } }));
      const text = await storedText();
      for (const secret of [AES_KEY, NESTED_KEY, TEXT_KEY]) expect(text).not.toContain(secret);
      expect(logs.text()).not.toContain(AES_KEY);
    });

    it('scopes message ids by topic: a spoofed id on another topic does not suppress the real reading (13.5)', async () => {
      const flow = await flows.create({ code: 'meters', topic: 'v2/+/+/data', action: 'STORE_DB' });
      await start();
      const id = { [MESSAGE_ID_PROPERTY]: 'gwA:42' };
      // The attacker publishes first, under its own gateway id, with the id gateway A will use next.
      await transport.deliver('v2/evil/KAM-1/data', { v: 666 }, { userProperties: id });
      await transport.deliver('v2/gwA/KAM-1/data', { v: 1 }, { userProperties: id });
      // A redelivery of the real reading is still recognised.
      await transport.deliver('v2/gwA/KAM-1/data', { v: 1 }, { userProperties: id });
      const page = await new RecordQuery(fresh.handle.db).query({ flowId: flow.id, limit: 10 });
      expect(page.records.map((rec) => [rec.topic, rec.value])).toEqual([
        ['v2/evil/KAM-1/data', 666],
        ['v2/gwA/KAM-1/data', 1],
      ]);
      expect(router?.stats().counters.duplicates).toBe(1);
    });

    it('refuses field names the field column cannot tell apart, and lone surrogates, as PAYLOAD_ERR_FIELD (13.8)', async () => {
      const flow = await flows.create({ code: 'c', topic: 'c/+', action: 'STORE_DB' });
      await start();
      await transport.deliver('c/1', '{"a":1,"a ":2}');
      await transport.deliver('c/2', '{"\\ud800":1}');
      await transport.deliver('c/3', '{"s":"\\udc00"}');
      await transport.deliver('c/4', '{"a":1,"b ":2,"\\ud83d\\ude00":3}');
      const dead = (await new DeadLetterRepository(fresh.handle.db).list({ flowId: flow.id })).items;
      expect(dead.map((d) => `${d.topic} ${d.reasonCode}`).sort()).toEqual([
        'c/1 PAYLOAD_ERR_FIELD',
        'c/2 PAYLOAD_ERR_FIELD',
        'c/3 PAYLOAD_ERR_FIELD',
      ]);
      expect(dead.find((d) => d.topic === 'c/1')?.reason).toMatch(
        /"a" and "a " differ only in trailing spaces/,
      );
      const page = await new RecordQuery(fresh.handle.db).query({ flowId: flow.id, limit: 10 });
      expect(page.records.map((rec) => rec.field).sort()).toEqual(['a', 'b ', '😀']);
      // No log line carries SQL or the values it was sent with.
      expect(logs.text()).not.toMatch(/insert into|values \(/i);
      expect(
        errorText(
          Object.assign(new Error("Duplicate entry '7-a-secret' for key 'PRIMARY'"), {
            code: 'ER_DUP_ENTRY',
            sqlState: '23000',
            sql: 'insert into data_records values (7, 1, "a-secret")',
          }),
        ),
      ).toBe("ER_DUP_ENTRY: Duplicate entry '…' for key 'PRIMARY'");
    });

    it('ignores retained deliveries on shared subscriptions, routes them otherwise (13.9)', async () => {
      const flow = await flows.create({ code: 'cfg', topic: 'v2/+/+/config', action: 'STORE_DB' });
      const r = await start();
      transport.sharedSubscriptions = true;
      for (let i = 0; i < 4; i++) await transport.deliver('v2/gw/KAM-1/config', { n: 1 }, { retain: true });
      await transport.deliver('v2/gw/KAM-1/config', { n: 2 });
      const records = new RecordQuery(fresh.handle.db);
      expect(await records.count(flow.id)).toBe(1);
      expect(r.stats().counters.retainedIgnored).toBe(4);
      transport.sharedSubscriptions = false;
      await transport.deliver('v2/gw/KAM-1/config', { n: 3 }, { retain: true });
      expect(await records.count(flow.id)).toBe(2);
    });
  });
});
