import { MESSAGE_ID_PROPERTY } from '@iotgw/contracts';
import {
  DeadLetterRepository,
  FlowRepository,
  FlowRouter,
  migrateDownAll,
  REASON_PAYLOAD_FORMAT_INVALID,
  RecordQuery,
  WANT_REASON_CODE_PROPERTY,
} from '@iotgw/flow-router';
import { createTestLogger } from '@iotgw/logger';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseKinds, type FreshDatabase, migratedDatabase } from './support/databases.js';
import { MemoryTransport } from './support/memory-transport.js';
import { insertRawFlows } from './support/raw-flow.js';
import { testSettings } from './support/settings.js';

describe.each(databaseKinds)('FlowRouter with an in-memory transport on $kind', ({ kind, skip }) => {
  describe.skipIf(skip)(kind, () => {
    let fresh: FreshDatabase & { handle: import('@iotgw/flow-router').RouterDb };
    let flows: FlowRepository;
    let transport: MemoryTransport;
    let router: FlowRouter | undefined;
    let clock = 1_000_000;

    beforeEach(async () => {
      fresh = await migratedDatabase(kind);
      flows = new FlowRepository(fresh.handle.db);
      transport = new MemoryTransport();
      clock = 1_000_000;
    });
    afterEach(async () => {
      await router?.stop();
      router = undefined;
      await fresh.dispose();
    });

    function start(env: Record<string, string> = {}) {
      router = new FlowRouter({
        db: fresh.handle.db,
        dialect: fresh.handle.dialect,
        transport,
        logger: createTestLogger().logger,
        settings: testSettings(fresh.url, env),
        now: () => clock,
      });
      return router.start();
    }

    it('stores one record per field with a gap-free msg id, and subscribes the flow filters', async () => {
      const flow = await flows.create({
        code: 'climate',
        topic: 'site/+/climate',
        action: 'STORE_DB',
        payloadSchema: { temp: 'number', ok: 'bool' },
      });
      const report = await start();
      expect(report.added).toEqual(['climate']);
      expect(report.subscribed).toEqual(['site/+/climate']);
      expect([...transport.subscribed]).toEqual(['site/+/climate']);
      for (let i = 0; i < 3; i++) {
        await transport.deliver('site/a/climate', {
          temp: 20 + i,
          ok: true,
          note: 'x',
          nested: { a: i },
          nothing: null,
        });
      }
      const page = await new RecordQuery(fresh.handle.db).query({ flowId: flow.id, limit: 1000 });
      expect(page.records.map((r) => r.msgId)).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3]);
      const first = Object.fromEntries(
        page.records.filter((r) => r.msgId === 1).map((r) => [r.field, r.value]),
      );
      expect(first).toEqual({ temp: 20, ok: true, note: 'x', nested: { a: 0 }, nothing: null });
      expect((await flows.get(flow.id))?.lastMsgId).toBe(3);
      expect(router?.stats().counters.stored).toBe(3);
    });

    it('routes one message to every matching flow, $-topics only to filters that name them', async () => {
      const a = await flows.create({ code: 'a', topic: 'x/#', action: 'STORE_DB' });
      const b = await flows.create({ code: 'b', topic: 'x/+/y', action: 'STORE_DB' });
      const sys = await flows.create({ code: 'sys', topic: '#', action: 'STORE_DB' });
      const report = await start();
      // `x/+/y` is covered by `x/#` and `#` covers both: one subscription, no duplicate deliveries.
      expect(report.subscribed).toEqual(['#']);
      await transport.deliver('x/1/y', { v: 1 });
      await transport.deliver('$SYS/x', { v: 2 });
      const q = new RecordQuery(fresh.handle.db);
      expect(await q.count(a.id)).toBe(1);
      expect(await q.count(b.id)).toBe(1);
      expect(await q.count(sys.id)).toBe(1);
      expect(router?.stats().counters.unmatched).toBe(1);
    });

    it('dead-letters invalid payloads with reason and JSON path, and keeps going', async () => {
      const flow = await flows.create({
        code: 'meter',
        topic: 'm/+',
        action: 'STORE_DB',
        payloadSchema: {
          type: 'object',
          required: ['reading'],
          properties: {
            reading: { type: 'object', properties: { kwh: { type: 'number' } }, required: ['kwh'] },
          },
        },
      });
      await start();
      await transport.deliver('m/1', Buffer.from([0xff, 0xfe]));
      await transport.deliver('m/1', 'not json');
      await transport.deliver('m/1', '[1,2]');
      await transport.deliver('m/1', { reading: { kwh: 'lots' } });
      await transport.deliver('m/1', { reading: { kwh: 1.5 } });
      const dl = await new DeadLetterRepository(fresh.handle.db).list({ flowId: flow.id });
      expect(dl.items.map((d) => d.reasonCode).sort()).toEqual([
        'PAYLOAD_ERR_JSON',
        'PAYLOAD_ERR_NOT_OBJECT',
        'PAYLOAD_ERR_SCHEMA',
        'PAYLOAD_ERR_UTF8',
      ]);
      const schemaError = dl.items.find((d) => d.reasonCode === 'PAYLOAD_ERR_SCHEMA');
      expect(schemaError?.jsonPath).toBe('$.reading.kwh');
      expect(schemaError?.reason).toMatch(/must be number/);
      expect(dl.items.find((d) => d.reasonCode === 'PAYLOAD_ERR_UTF8')?.payloadBase64).toBe('//4=');
      expect(await new RecordQuery(fresh.handle.db).count(flow.id)).toBe(1);
      expect((await flows.get(flow.id))?.lastMsgId).toBe(1);
    });

    it('answers 0x99 for a refused message only when asked', async () => {
      await flows.create({ code: 'f', topic: 't', action: 'STORE_DB', payloadSchema: { v: 'int' } });
      await start();
      expect(await transport.deliver('t', { v: 'x' })).toBeUndefined();
      expect(
        await transport.deliver('t', { v: 'y' }, { userProperties: { [WANT_REASON_CODE_PROPERTY]: '1' } }),
      ).toEqual({
        reasonCode: REASON_PAYLOAD_FORMAT_INVALID,
      });
      expect(await transport.deliver('t', 'nope', { payloadFormatIndicator: true })).toEqual({
        reasonCode: 0x99,
      });
      expect(await transport.deliver('t', { v: 3 }, { payloadFormatIndicator: true })).toBeUndefined();
    });

    it('stores a redelivered message once: by MQTT 5 id, by payload id field, by content within the window', async () => {
      const flow = await flows.create({ code: 'd', topic: 'd/#', action: 'STORE_DB' });
      await start({ ROUTER_DEDUP_WINDOW_SECONDS: '60' });
      const props = { [MESSAGE_ID_PROPERTY]: 'edge-1:42' };
      await transport.deliver('d/1', { v: 1 }, { userProperties: props });
      await transport.deliver('d/1', { v: 1 }, { userProperties: props });
      await transport.deliver('d/2', { v: 2, iotgw_msg_id: 'abc' });
      await transport.deliver('d/2', { v: 2, iotgw_msg_id: 'abc' });
      // No id: the same topic and payload is a duplicate within the window, a new reading after it.
      await transport.deliver('d/3', { v: 3 }, { receivedAt: clock });
      await transport.deliver('d/3', { v: 3 }, { receivedAt: clock + 59_000 });
      await transport.deliver('d/3', { v: 3 }, { receivedAt: clock + 61_000 });
      const stats = router?.stats().counters;
      expect(stats?.stored).toBe(4);
      expect(stats?.duplicates).toBe(3);
      const records = (await new RecordQuery(fresh.handle.db).query({ flowId: flow.id })).records;
      // The id field is metadata, not a record.
      expect(records.filter((r) => r.msgId === 2).map((r) => r.field)).toEqual(['v']);
      expect((await flows.get(flow.id))?.lastMsgId).toBe(4);
    });

    it('reloads: subscribes new filters, unsubscribes removed ones, recompiles changes, refuses bad flows', async () => {
      const keep = await flows.create({
        code: 'keep',
        topic: 'k/+',
        action: 'STORE_DB',
        payloadSchema: { v: 'int' },
      });
      const drop = await flows.create({ code: 'drop', topic: 'gone/#', action: 'STORE_DB' });
      await start();
      expect([...transport.subscribed].sort()).toEqual(['gone/#', 'k/+']);
      await flows.update(keep.id, { payloadSchema: { v: 'string' } });
      await flows.setEnabled(drop.id, false);
      await flows.create({ code: 'new', topic: 'n/#', action: 'STORE_DB' });
      // A flow written behind the API's back: POST_ENDPOINT without a URL.
      await insertRawFlows(fresh.handle.db, [{ code: 'broken', topic: 'b/#', action: 'POST_ENDPOINT' }]);
      const report = await router?.reload();
      expect(report?.added).toEqual(['new']);
      expect(report?.removed).toEqual(['drop']);
      expect(report?.recompiled).toEqual(['keep']);
      expect(report?.refused).toEqual([
        expect.objectContaining({ code: 'broken', reason: expect.stringContaining('$.endpointUrl') }),
      ]);
      expect(report?.subscribed).toEqual(['n/#']);
      expect(report?.unsubscribed).toEqual(['gone/#']);
      expect([...transport.subscribed].sort()).toEqual(['k/+', 'n/#']);
      await transport.deliver('k/1', { v: 'now a string' });
      expect(router?.stats().counters.stored).toBe(1);
      const again = await router?.reload();
      expect(again?.unchanged).toBe(2);
      expect(again?.subscribed).toEqual([]);
    });

    it('unsubscribes, on start, filters the last run subscribed that no flow needs any more', async () => {
      const old = await flows.create({ code: 'old', topic: 'old/#', action: 'STORE_DB' });
      await start();
      await router?.stop();
      await flows.delete(old.id);
      await flows.create({ code: 'fresh', topic: 'fresh/#', action: 'STORE_DB' });
      transport = new MemoryTransport();
      const report = await start();
      expect(report.subscribed).toEqual(['fresh/#']);
      expect(report.unsubscribed).toEqual(['old/#']);
    });

    it('redrives dead letters once the flow accepts them', async () => {
      const flow = await flows.create({
        code: 'r',
        topic: 'r',
        action: 'STORE_DB',
        payloadSchema: { v: 'int' },
      });
      await start();
      await transport.deliver('r', { v: 'one' });
      await transport.deliver('r', { v: 2 });
      const dl = new DeadLetterRepository(fresh.handle.db);
      const [letter] = (await dl.list()).items;
      expect(letter?.reasonCode).toBe('PAYLOAD_ERR_SCHEMA');
      const id = letter?.id ?? -1;
      expect((await router?.redrive([id, 999_999]))?.results).toEqual([
        expect.objectContaining({ id, status: 'still_invalid' }),
        { id: 999_999, status: 'not_found' },
      ]);
      await flows.update(flow.id, { payloadSchema: { v: 'string' } });
      await router?.reload();
      const report = await router?.redrive([id]);
      expect(report?.results).toEqual([{ id, status: 'stored', msgId: 2 }]);
      expect(await dl.count()).toBe(0);
      // The redriven message is now known: a redelivery of it is a duplicate.
      await transport.deliver('r', { v: 'one' });
      expect(router?.stats().counters.duplicates).toBe(1);
    });

    it('isolates a message the database refuses: the rest of its batch is stored, it is dead-lettered', async () => {
      const flow = await flows.create({ code: 'p', topic: 'p', action: 'STORE_DB' });
      // A trigger plays a database that refuses one value (as a too-long field or a collation clash would).
      const trigger =
        kind === 'mysql'
          ? sql`create trigger refuse_poison before insert on data_records for each row begin if new.str_value = 'poison' then signal sqlstate '45000' set message_text = 'poison refused'; end if; end`
          : sql`create trigger refuse_poison before insert on data_records when new.str_value = 'poison' begin select raise(abort, 'poison refused'); end`;
      await trigger.execute(fresh.handle.db);
      await start({ ROUTER_BATCH_LINGER_MS: '50' });
      const acks = Array.from({ length: 12 }, (_, i) =>
        transport.deliver('p', { v: i === 5 ? 'poison' : `ok${i}` }),
      );
      await Promise.all(acks);
      const stats = router?.stats().counters;
      expect(stats?.stored).toBe(11);
      expect(stats?.deadLetters).toBe(1);
      const [letter] = (await new DeadLetterRepository(fresh.handle.db).list()).items;
      expect(letter?.reasonCode).toBe('ROUTER_ERR_STORE');
      expect(letter?.reason).toMatch(/poison refused/);
      expect((await flows.get(flow.id))?.lastMsgId).toBe(11);
    });

    it('refuses to start when the flows cannot be read', async () => {
      await migrateDownAll(fresh.handle.db);
      await expect(start()).rejects.toThrow(/cannot load the flows/);
      expect(router?.stats().state).toBe('stopped');
    });

    it('finishes waiting batches on stop and refuses messages after it', async () => {
      const flow = await flows.create({ code: 's', topic: 's', action: 'STORE_DB' });
      await start({ ROUTER_BATCH_LINGER_MS: '50' });
      const acks = Array.from({ length: 20 }, (_, i) => transport.deliver('s', { i }));
      await router?.stop();
      await Promise.all(acks);
      expect(await new RecordQuery(fresh.handle.db).count(flow.id)).toBe(20);
      await expect(transport.deliver('s', { i: 99 })).rejects.toThrow(/stopped/);
    });
  });
});
