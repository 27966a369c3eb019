// The MySQL batch writer's one-round-trip path plans without the flow lock. These tests make the plan
// go stale on purpose — another connection holds the flow lock while it stores one of the batch's keys
// or deletes the flow — and check that the batch still ends exactly as the locked path decides.
import { FlowRepository } from '@iotgw/flow-router';
import { skipIfMissing, waitFor } from '@iotgw/testkit';
import { createConnection } from 'mysql2/promise';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeBatch } from '../src/pipeline/batch-writer.js';
import type { WorkItem } from '../src/pipeline/work-item.js';
import { type FreshDatabase, migratedDatabase } from './support/databases.js';

const skip = skipIfMissing('mysql');

function item(flowId: number, key: string, temp: number): WorkItem {
  return {
    flowId,
    flowCode: `flow-${flowId}`,
    key: { kind: 'id', value: `i:${key}` },
    topic: 'site/a/climate',
    receivedAt: 1_000,
    payload: new TextEncoder().encode(JSON.stringify({ temp })),
    userProperties: {},
    action: {
      kind: 'store',
      values: [{ field: 'temp', type: 'number', num: temp, str: null, bool: null, json: null }],
    },
  };
}

describe.skipIf(skip)('MySQL batch writer: a plan made without the lock', () => {
  let fresh: FreshDatabase & { handle: import('@iotgw/flow-router').RouterDb };
  let flowA: number;
  let flowB: number;

  beforeEach(async () => {
    fresh = await migratedDatabase('mysql');
    const flows = new FlowRepository(fresh.handle.db);
    const payloadSchema = { temp: 'number' };
    flowA = (await flows.create({ code: 'a', topic: 'site/+/climate', action: 'STORE_DB', payloadSchema }))
      .id;
    flowB = (await flows.create({ code: 'b', topic: 'site/#', action: 'STORE_DB', payloadSchema })).id;
  });
  afterEach(async () => {
    await fresh.dispose();
  });

  const ctx = () => ({
    db: fresh.handle.db,
    dialect: 'mysql' as const,
    dedupWindowMs: 60_000,
    now: () => 2_000,
    multiStatements: true,
  });

  async function counters(): Promise<Record<string, number>> {
    const rows = await fresh.handle.db.selectFrom('flows').select(['code', 'last_msg_id']).execute();
    return Object.fromEntries(rows.map((r) => [r.code, Number(r.last_msg_id)]));
  }

  /** Runs `write` while another connection holds flow A's lock and, once `write` waits for it, does `meanwhile`. */
  async function whileLocked<T>(meanwhile: string[], write: () => Promise<T>): Promise<T> {
    const other = await createConnection(fresh.url);
    try {
      await other.query('begin');
      await other.query('select id from flows where id = ? for update', [flowA]);
      const pending = write();
      await waitFor(async () => {
        const [rows] = await other.query(
          "select count(*) as n from information_schema.processlist where id <> connection_id() and info like '%for update%'",
        );
        return Number((rows as Array<{ n: number }>)[0]?.n) > 0;
      }, 'the batch waiting for the flow lock');
      for (const sql of meanwhile) await other.query(sql);
      await other.query('commit');
      return await pending;
    } finally {
      await other.end();
    }
  }

  it('gives gap-free ids from the locked counters in one round trip', async () => {
    const first = await writeBatch(ctx(), [item(flowA, 'm1', 1), item(flowB, 'm1', 1), item(flowA, 'm2', 2)]);
    expect(first).toEqual([
      { outcome: 'stored', msgId: 1 },
      { outcome: 'stored', msgId: 1 },
      { outcome: 'stored', msgId: 2 },
    ]);
    const second = await writeBatch(ctx(), [item(flowA, 'm2', 2), item(flowA, 'm3', 3)]);
    expect(second).toEqual([{ outcome: 'duplicate' }, { outcome: 'stored', msgId: 3 }]);
    expect(await counters()).toEqual({ a: 3, b: 1 });
  });

  it('treats a key stored by another router meanwhile as a duplicate, and keeps the counter gap-free', async () => {
    const outcomes = await whileLocked(
      [
        `insert into message_keys (flow_id, msg_key, key_kind, msg_id, outcome, received_at) values (${flowA}, 'i:m1', 'id', 1, 'stored', 1000)`,
        `insert into data_records (flow_id, msg_id, field, value_type, num_value, topic, received_at) values (${flowA}, 1, 'temp', 'number', 1, 'site/a/climate', 1000)`,
        `update flows set last_msg_id = 1 where id = ${flowA}`,
      ],
      () => writeBatch(ctx(), [item(flowA, 'm1', 1), item(flowA, 'm2', 2), item(flowB, 'm1', 1)]),
    );
    expect(outcomes).toEqual([
      { outcome: 'duplicate' },
      { outcome: 'stored', msgId: 2 },
      { outcome: 'stored', msgId: 1 },
    ]);
    expect(await counters()).toEqual({ a: 2, b: 1 });
    const ids = await fresh.handle.db
      .selectFrom('data_records')
      .select('msg_id')
      .where('flow_id', '=', flowA)
      .orderBy('msg_id')
      .execute();
    expect(ids.map((r) => Number(r.msg_id))).toEqual([1, 2]);
  });

  it('dead-letters the messages of a flow deleted meanwhile, and stores the rest of the batch', async () => {
    const outcomes = await whileLocked([`delete from flows where id = ${flowA}`], () =>
      writeBatch(ctx(), [item(flowA, 'm1', 1), item(flowB, 'm1', 1)]),
    );
    expect(outcomes).toEqual([
      { outcome: 'dead_letter', reasonCode: 'FLOW_ERR_DELETED' },
      { outcome: 'stored', msgId: 1 },
    ]);
    expect(await counters()).toEqual({ b: 1 });
    const dead = await fresh.handle.db
      .selectFrom('dead_letters')
      .select(['flow_id', 'reason_code'])
      .execute();
    expect(dead).toEqual([{ flow_id: flowA, reason_code: 'FLOW_ERR_DELETED' }]);
  });
});
