import {
  DeadLetterRepository,
  FlowRepository,
  MqttServerRepository,
  mqttServerConnection,
  RecordQuery,
  type RouterDb,
  RouterError,
  selectMqttServer,
} from '@iotgw/flow-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseKinds, type FreshDatabase, migratedDatabase } from './support/databases.js';

async function rejection(p: Promise<unknown>): Promise<RouterError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RouterError) return e;
    throw e;
  }
  throw new Error('expected a RouterError');
}

describe.each(databaseKinds)('repositories on $kind', ({ kind, skip }) => {
  describe.skipIf(skip)(kind, () => {
    let fresh: FreshDatabase & { handle: RouterDb };
    beforeEach(async () => {
      fresh = await migratedDatabase(kind);
    });
    afterEach(async () => {
      await fresh.dispose();
    });

    it('FlowRepository: create, read, update (version), enable, delete; validation errors carry JSON paths', async () => {
      let t = 1000;
      const repo = new FlowRepository(fresh.handle.db, { now: () => t++ });
      const flow = await repo.create({
        code: 'f1',
        topic: 'a/+/b',
        action: 'STORE_DB',
        payloadSchema: { v: 'int' },
        description: 'd',
      });
      expect(flow).toMatchObject({
        code: 'f1',
        topic: 'a/+/b',
        enabled: true,
        lastMsgId: 0,
        version: 1,
        payloadSchema: { v: 'int' },
      });
      expect(await repo.getByCode('f1')).toEqual(flow);
      const updated = await repo.update(flow.id, { topic: 'a/#' });
      expect(updated).toMatchObject({ topic: 'a/#', version: 2, payloadSchema: { v: 'int' } });
      expect((await repo.setEnabled(flow.id, false)).enabled).toBe(false);
      expect((await repo.list({ enabled: true })).length).toBe(0);
      expect((await repo.list()).length).toBe(1);

      const invalid = await rejection(
        repo.create({ code: '', topic: 'a/#/b', action: 'DROP', payloadSchema: { v: 'nope' }, extra: 1 }),
      );
      expect(invalid.code).toBe('ROUTER_ERR_VALIDATION');
      expect(invalid.problems.map((p) => p.path)).toEqual(['$.extra']);
      const invalid2 = await rejection(
        repo.create({ code: '', topic: 'a/#/b', action: 'DROP', payloadSchema: { v: 'nope' } }),
      );
      expect(invalid2.problems.map((p) => p.path).sort()).toEqual([
        '$.action',
        '$.code',
        '$.payloadSchema.v',
        '$.topic',
      ]);
      expect(
        (await rejection(repo.create({ code: 'x', topic: '$share/g/a', action: 'STORE_DB' }))).problems[0]
          ?.path,
      ).toBe('$.topic');
      expect((await rejection(repo.create({ code: 'f1', topic: 'x', action: 'STORE_DB' }))).code).toBe(
        'ROUTER_ERR_CONFLICT',
      );
      expect((await rejection(repo.update(999, { topic: 'x' }))).code).toBe('ROUTER_ERR_NOT_FOUND');
      expect((await rejection(repo.update(flow.id, { topic: 42 }))).problems).toEqual([
        { path: '$.topic', message: 'must be a string' },
      ]);

      await fresh.handle.db
        .insertInto('data_records')
        .values({
          flow_id: flow.id,
          msg_id: 1,
          field: 'v',
          value_type: 'number',
          num_value: 1,
          str_value: null,
          bool_value: null,
          json_value: null,
          topic: 'a/1/b',
          received_at: 1,
        })
        .execute();
      expect((await rejection(repo.delete(flow.id))).code).toBe('ROUTER_ERR_HAS_DATA');
      expect(await repo.delete(flow.id, { cascade: true })).toBe(true);
      expect(await repo.delete(flow.id)).toBe(false);
      expect(await new RecordQuery(fresh.handle.db).count(flow.id)).toBe(0);
    });

    it('MqttServerRepository stores password references only; selectMqttServer picks the first enabled, default first', async () => {
      const repo = new MqttServerRepository(fresh.handle.db);
      expect(await selectMqttServer(fresh.handle.db)).toBeNull();
      const plain = await rejection(repo.create({ name: 'x', host: 'h', password: 'hunter2' }));
      expect(plain.problems.map((p) => p.path)).toContain('$.password');
      expect(plain.message).not.toContain('hunter2');
      const ref = await rejection(repo.create({ name: 'x', host: 'h', passwordRef: 'hunter2' }));
      expect(ref.problems).toEqual([
        { path: '$.passwordRef', message: expect.stringContaining('secret reference') },
      ]);

      const a = await repo.create({
        name: 'a',
        host: 'broker-a',
        username: 'gw',
        passwordRef: 'env:MQTT_PASSWORD',
      });
      const b = await repo.create({
        name: 'b',
        host: 'broker-b',
        useTls: true,
        isDefault: true,
        enabled: false,
      });
      await repo.create({ name: 'c', host: 'broker-c', isDefault: true });
      expect(b.port).toBe(8883);
      expect((await selectMqttServer(fresh.handle.db))?.name).toBe('c');
      await repo.update(b.id, { enabled: true });
      expect((await selectMqttServer(fresh.handle.db))?.name).toBe('b');
      const listed = await repo.list();
      expect(JSON.stringify(listed)).not.toContain('s3cret');
      expect(listed.find((s) => s.id === a.id)?.passwordRef).toBe('env:MQTT_PASSWORD');
      const conn = mqttServerConnection(a, { MQTT_PASSWORD: 's3cret' });
      expect(conn).toEqual({ url: 'mqtt://broker-a:1883', username: 'gw', password: 's3cret' });
      expect(() => mqttServerConnection(a, {})).toThrow(/MQTT_PASSWORD/);
      expect(await repo.delete(a.id)).toBe(true);
    });

    it('RecordQuery pages a field over time and whole messages with cursors; DeadLetterRepository lists and deletes', async () => {
      const db = fresh.handle.db;
      const flow = await new FlowRepository(db).create({ code: 'q', topic: 'q', action: 'STORE_DB' });
      const rows = [];
      for (let m = 1; m <= 25; m++) {
        for (const field of ['t', 'h']) {
          rows.push({
            flow_id: flow.id,
            msg_id: m,
            field,
            value_type: 'number' as const,
            num_value: m,
            str_value: null,
            bool_value: null,
            json_value: null,
            topic: 'q',
            received_at: 1000 + m,
          });
        }
      }
      rows.push({
        flow_id: flow.id,
        msg_id: 26,
        field: 'j',
        value_type: 'json' as const,
        num_value: null,
        str_value: null,
        bool_value: null,
        json_value: '{"a":[1]}',
        topic: 'q',
        received_at: 2000,
      });
      await db.insertInto('data_records').values(rows).execute();
      const q = new RecordQuery(db);
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await q.query({
          flowId: flow.id,
          field: 't',
          from: 1005,
          to: 1020,
          limit: 4,
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...page.records.map((r) => r.value as number));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
      const all = await q.query({ flowId: flow.id, limit: 3 });
      expect(all.records.map((r) => `${r.msgId}${r.field}`)).toEqual(['1h', '1t', '2h']);
      const next = await q.query({ flowId: flow.id, limit: 3, cursor: all.nextCursor ?? '' });
      expect(next.records.map((r) => `${r.msgId}${r.field}`)).toEqual(['2t', '3h', '3t']);
      expect((await q.query({ flowId: flow.id, field: 'j' })).records[0]?.value).toEqual({ a: [1] });
      await expect(q.query({ flowId: flow.id, field: 't', cursor: all.nextCursor ?? '' })).rejects.toThrow(
        /cursor/,
      );
      expect(await q.fields(flow.id)).toEqual(['h', 'j', 't']);

      const dl = new DeadLetterRepository(db);
      await db
        .insertInto('dead_letters')
        .values(
          [1, 2, 3].map((i) => ({
            flow_id: flow.id,
            flow_code: 'q',
            topic: 'q',
            payload: Buffer.from(`{"i":${i}}`),
            reason_code: i === 3 ? 'PAYLOAD_ERR_JSON' : 'PAYLOAD_ERR_SCHEMA',
            reason: 'bad',
            json_path: '$.i',
            msg_key: `i:${i}`,
            user_properties: JSON.stringify({ k: 'v' }),
            received_at: i,
            created_at: i,
          })),
        )
        .execute();
      const page1 = await dl.list({ limit: 2 });
      expect(page1.items.map((d) => d.payloadText)).toEqual(['{"i":3}', '{"i":2}']);
      expect(page1.items[0]?.userProperties).toEqual({ k: 'v' });
      const page2 = await dl.list({ limit: 2, cursor: page1.nextCursor ?? '' });
      expect(page2.items.map((d) => d.payloadText)).toEqual(['{"i":1}']);
      expect(page2.nextCursor).toBeNull();
      expect(await dl.count({ reasonCode: 'PAYLOAD_ERR_SCHEMA' })).toBe(2);
      expect(await dl.delete(page1.items.map((d) => d.id))).toBe(2);
      expect(await dl.count()).toBe(1);
    });
  });
});
