import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { isDuplicateKeyError, WriteConflict } from '../db/db-errors.js';
import type { RouterDatabase } from '../db/schema.js';
import type { DatabaseKind } from '../settings/load-router-settings.js';
import { writeBatchMultiStatement } from './mysql-batch-writer.js';
import { type BatchPlan, type ExistingKey, keyOf, planBatch } from './plan-batch.js';
import { batchInserts, chunks, KEYS_PER_SELECT } from './sql-rows.js';
import type { ItemOutcome, WorkItem } from './work-item.js';

export interface BatchWriterContext {
  readonly db: Kysely<RouterDatabase>;
  readonly dialect: DatabaseKind;
  /** A message without an id is a duplicate of one with the same key received at most this long before. */
  readonly dedupWindowMs: number;
  readonly now: () => number;
  /**
   * MySQL connections accept several statements per query (openDatabase sets this): a batch then
   * takes two round trips instead of seven, and holds the flow locks that much shorter.
   */
  readonly multiStatements?: boolean;
}

async function existingKeys(
  trx: Transaction<RouterDatabase>,
  flowIds: readonly number[],
  keys: readonly string[],
): Promise<Map<string, ExistingKey>> {
  const found = new Map<string, ExistingKey>();
  for (const part of chunks(keys, KEYS_PER_SELECT)) {
    const rows = await trx
      .selectFrom('message_keys')
      .select(['flow_id', 'msg_key', 'key_kind', 'received_at'])
      .where('flow_id', 'in', flowIds)
      .where('msg_key', 'in', part)
      .execute();
    for (const r of rows) {
      found.set(keyOf(Number(r.flow_id), r.msg_key), { kind: r.key_kind, receivedAt: Number(r.received_at) });
    }
  }
  return found;
}

async function applyPlan(trx: Transaction<RouterDatabase>, plan: BatchPlan): Promise<void> {
  for (const [flowId, list] of plan.replaced) {
    await trx.deleteFrom('message_keys').where('flow_id', '=', flowId).where('msg_key', 'in', list).execute();
  }
  if (plan.redriven.length > 0)
    await trx.deleteFrom('dead_letters').where('id', 'in', plan.redriven).execute();
  for (const insert of batchInserts(plan))
    await trx.executeQuery(CompiledQuery.raw(insert.sql, insert.params));
  for (const [flowId, value] of plan.counters) {
    await trx.updateTable('flows').set({ last_msg_id: value }).where('id', '=', flowId).execute();
  }
}

/**
 * Commits one batch in one transaction and returns each item's outcome, in order:
 * 1. lock the batch's flow rows in id order (`SELECT … FOR UPDATE` on MySQL, `BEGIN IMMEDIATE` on
 *    SQLite): the counter of a flow has one writer at a time, across router processes;
 * 2. read which message keys the flows already have (the unique key that drops redeliveries);
 * 3. give every new stored or queued message `msg_id = ++last_msg_id`, in batch order (planBatch);
 * 4. multi-row inserts of records, keys, outbox rows and dead letters, one counter UPDATE per flow.
 * A rollback undoes the counters too, so the ids stay gap-free. Correct under READ COMMITTED (what
 * openDatabase sets) and REPEATABLE READ alike: the first read is the locking one, so the key lookup
 * sees every batch that held the flow lock before.
 */
export async function writeBatch(
  ctx: BatchWriterContext,
  items: readonly WorkItem[],
): Promise<ItemOutcome[]> {
  if (items.length === 0) return [];
  if (ctx.dialect === 'mysql' && ctx.multiStatements) return writeBatchMultiStatement(ctx, items);
  const flowIds = [...new Set(items.map((i) => i.flowId))].sort((a, b) => a - b);
  const keys = [...new Set(items.map((i) => i.key.value))];
  try {
    return await lockedTransaction(ctx, items, flowIds, keys);
  } catch (err) {
    // Under the flow locks a duplicate key can only come from a writer they do not hold back: another
    // Galera node committed first. Nothing of the batch was stored; it is planned again.
    if (ctx.dialect === 'mysql' && isDuplicateKeyError(err)) {
      throw new WriteConflict('a concurrent commit stored a key of this batch', { cause: err });
    }
    throw err;
  }
}

function lockedTransaction(
  ctx: BatchWriterContext,
  items: readonly WorkItem[],
  flowIds: readonly number[],
  keys: readonly string[],
): Promise<ItemOutcome[]> {
  return ctx.db.transaction().execute(async (trx) => {
    let lock = trx.selectFrom('flows').select(['id', 'last_msg_id']).where('id', 'in', flowIds).orderBy('id');
    if (ctx.dialect === 'mysql') lock = lock.forUpdate();
    const counters = new Map<number, number>();
    for (const r of await lock.execute()) counters.set(Number(r.id), Number(r.last_msg_id));
    const existing = await existingKeys(trx, flowIds, keys);
    const plan = planBatch(items, counters, existing, ctx.dedupWindowMs, ctx.now());
    await applyPlan(trx, plan);
    return plan.outcomes;
  });
}
