import { CompiledQuery, type Kysely } from 'kysely';
import { WriteConflict } from '../db/db-errors.js';
import type { RouterDatabase } from '../db/schema.js';
import { type BatchPlan, type ExistingKey, keyOf, planBatch } from './plan-batch.js';
import { batchInserts, chunks, KEYS_PER_SELECT, type SqlStatement } from './sql-rows.js';
import type { ItemOutcome, WorkItem } from './work-item.js';

interface Context {
  readonly db: Kysely<RouterDatabase>;
  readonly dedupWindowMs: number;
  readonly now: () => number;
}

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

function join(statements: readonly SqlStatement[]): CompiledQuery {
  return CompiledQuery.raw(
    statements.map((s) => s.sql).join(';\n'),
    statements.flatMap((s) => s.params),
  );
}

/** The result sets of a multi-statement query, one per statement (kysely hands mysql2's array through). */
function resultSets(rows: unknown[]): unknown[][] {
  return rows.map((r) => (Array.isArray(r) ? (r as unknown[]) : []));
}

/** The user variable that holds a flow's locked counter during the one-round-trip batch. */
function counterVar(flowId: number): string {
  return `@iotgw_counter_${Math.trunc(flowId)}`;
}

/** MySQL error numbers the one-round-trip batch turns into "take the locked path instead". */
const ER_DUP_ENTRY = 1062;
const ER_SUBQUERY_NO_1_ROW = 1242;

function errno(err: unknown): unknown {
  return typeof err === 'object' && err !== null ? (err as { errno?: unknown }).errno : undefined;
}

type Exec = (q: CompiledQuery) => Promise<{ rows: unknown[] }>;

/** The message_keys rows of `sets` (result sets of key lookups), by flow and key. */
function existingKeysOf(sets: readonly unknown[][]): Map<string, ExistingKey> {
  const existing = new Map<string, ExistingKey>();
  for (const set of sets) {
    for (const r of set as Array<{
      flow_id: number;
      msg_key: string;
      key_kind: string;
      received_at: number;
    }>) {
      existing.set(keyOf(Number(r.flow_id), r.msg_key), {
        kind: r.key_kind,
        receivedAt: Number(r.received_at),
      });
    }
  }
  return existing;
}

/** Which of the batch's keys the flows already have, as last committed (no lock). */
async function readExistingKeys(
  exec: Exec,
  statements: readonly SqlStatement[],
): Promise<Map<string, ExistingKey>> {
  if (statements.length === 0) return new Map();
  const rows = (await exec(join(statements))).rows as unknown[];
  return existingKeysOf(statements.length === 1 ? [rows] : resultSets(rows));
}

function keySelects(flowIds: readonly number[], keys: readonly string[]): SqlStatement[] {
  return chunks(keys, KEYS_PER_SELECT).map((part) => ({
    sql: `select flow_id, msg_key, key_kind, received_at from message_keys where flow_id in (${placeholders(flowIds.length)}) and msg_key in (${placeholders(part.length)})`,
    params: [...flowIds, ...part],
  }));
}

/**
 * The MySQL batch. Usually one round trip holds the flow locks:
 *   0. (no lock, no transaction) which keys the flows already have; plan the batch with msg ids
 *      relative to the counters, which are not known yet;
 *   1. BEGIN; lock the flow rows in id order, reading each counter into a user variable; stop with an
 *      error if a flow is gone; INSERT records, keys, outbox rows, dead letters with
 *      `msg_id = @counter + offset`; UPDATE the counters; read the counters back; COMMIT.
 * The plan made without the lock stays right unless another router stored one of the batch's keys in
 * between (the key's primary key refuses it: ER_DUP_ENTRY) or a flow was deleted (the guard fails):
 * then the transaction is rolled back and the batch takes the locked path below. Batches that replace
 * keys (expired content hashes, redrives) take the locked path from the start.
 *
 * The locked path, in two round trips (the connection allows several statements per query):
 *   1. BEGIN; SELECT … FROM flows … FOR UPDATE; SELECT … FROM message_keys …
 *      (the key lookup runs after the lock is granted: statements run in order on the server)
 *   2. DELETE replaced keys; INSERT records, keys, outbox, dead letters; UPDATE counters; COMMIT
 * On any error the transaction is rolled back (or dies with its connection). Same plan, same guarantees
 * as the kysely path; fewer round trips while the flow locks are held.
 */
export async function writeBatchMultiStatement(
  ctx: Context,
  items: readonly WorkItem[],
): Promise<ItemOutcome[]> {
  const flowIds = [...new Set(items.map((i) => i.flowId))].sort((a, b) => a - b);
  const keys = [...new Set(items.map((i) => i.key.value))];
  return ctx.db.connection().execute(async (conn) => {
    const exec: Exec = (q) => conn.executeQuery(q) as Promise<{ rows: unknown[] }>;
    const existing = await readExistingKeys(exec, keySelects(flowIds, keys));
    const relative = planBatch(
      items,
      new Map(flowIds.map((id) => [id, 0])),
      existing,
      ctx.dedupWindowMs,
      ctx.now(),
    );
    if (relative.replaced.size === 0 && relative.redriven.length === 0) {
      const outcomes = await oneRoundTrip(exec, conn, items, flowIds, relative);
      if (outcomes !== undefined) return outcomes;
    }
    return lockedTwoRoundTrips(ctx, exec, conn, flowIds, keys, items);
  });
}

/** The batch in one round trip under the flow locks; undefined when the plan went stale (rolled back). */
async function oneRoundTrip(
  exec: Exec,
  conn: Kysely<RouterDatabase>,
  items: readonly WorkItem[],
  flowIds: readonly number[],
  plan: BatchPlan,
): Promise<ItemOutcome[] | undefined> {
  const vars = flowIds.map(counterVar);
  const statements: SqlStatement[] = [
    { sql: 'begin', params: [] },
    { sql: `set ${vars.map((v) => `${v} = null`).join(', ')}`, params: [] },
    ...flowIds.map((id) => ({
      sql: `select last_msg_id into ${counterVar(id)} from flows where id = ? for update`,
      params: [id],
    })),
    // A flow deleted since it was loaded leaves its variable null: make the batch fail (the subquery
    // returns two rows) rather than insert ids computed from nothing.
    {
      sql: `set @iotgw_guard = (select x from (select 1 as x union all select 2 as x) as guard where ${vars.map((v) => `${v} is null`).join(' or ')})`,
      params: [],
    },
    ...batchInserts(plan, (flowId, offset) => `${counterVar(flowId)} + ${Math.trunc(offset)}`),
    ...plan.counters.map(([flowId, moved]) => ({
      sql: `update flows set last_msg_id = ${counterVar(flowId)} + ${Math.trunc(moved)} where id = ?`,
      params: [flowId],
    })),
    {
      sql: `select ${flowIds.map((id) => `${counterVar(id)} as c${Math.trunc(id)}`).join(', ')}`,
      params: [],
    },
    { sql: 'commit', params: [] },
  ];
  let committed = false;
  try {
    const sets = resultSets((await exec(join(statements))).rows as unknown[]);
    committed = true;
    const base = (sets[statements.length - 2]?.[0] ?? {}) as Record<string, unknown>;
    // planBatch gives one outcome per item, in order.
    return plan.outcomes.map((o, i) =>
      o.outcome === 'stored' || o.outcome === 'queued'
        ? { ...o, msgId: o.msgId + Number(base[`c${Math.trunc(items[i]?.flowId ?? 0)}`]) }
        : o,
    );
  } catch (err) {
    const code = errno(err);
    if (code === ER_DUP_ENTRY || code === ER_SUBQUERY_NO_1_ROW) return undefined;
    throw err;
  } finally {
    if (!committed) await rollback(conn);
  }
}

/** The batch with the key lookup under the flow locks (two round trips). */
async function lockedTwoRoundTrips(
  ctx: Context,
  exec: Exec,
  conn: Kysely<RouterDatabase>,
  flowIds: readonly number[],
  keys: readonly string[],
  items: readonly WorkItem[],
): Promise<ItemOutcome[]> {
  const first: SqlStatement[] = [
    { sql: 'begin', params: [] },
    {
      sql: `select id, last_msg_id from flows where id in (${placeholders(flowIds.length)}) order by id for update`,
      params: [...flowIds],
    },
    ...keySelects(flowIds, keys),
  ];
  let committed = false;
  try {
    const sets = resultSets((await exec(join(first))).rows as unknown[]);
    const counters = new Map<number, number>();
    for (const r of (sets[1] ?? []) as Array<{ id: number; last_msg_id: number }>) {
      counters.set(Number(r.id), Number(r.last_msg_id));
    }
    const existing = existingKeysOf(sets.slice(2));
    const plan = planBatch(items, counters, existing, ctx.dedupWindowMs, ctx.now());
    const second: SqlStatement[] = [];
    for (const [flowId, list] of plan.replaced) {
      second.push({
        sql: `delete from message_keys where flow_id = ? and msg_key in (${placeholders(list.length)})`,
        params: [flowId, ...list],
      });
    }
    if (plan.redriven.length > 0) {
      second.push({
        sql: `delete from dead_letters where id in (${placeholders(plan.redriven.length)})`,
        params: plan.redriven,
      });
    }
    second.push(...batchInserts(plan));
    for (const [flowId, value] of plan.counters) {
      second.push({ sql: 'update flows set last_msg_id = ? where id = ?', params: [value, flowId] });
    }
    second.push({ sql: 'commit', params: [] });
    try {
      await exec(join(second));
    } catch (err) {
      // The keys were read under this connection's flow locks, so a duplicate here was committed by a
      // writer those locks do not hold back: another Galera node. Nothing of this batch was stored.
      if (errno(err) === ER_DUP_ENTRY)
        throw new WriteConflict('a concurrent commit stored a key of this batch', { cause: err });
      throw err;
    }
    committed = true;
    return plan.outcomes;
  } finally {
    if (!committed) await rollback(conn);
  }
}

async function rollback(conn: Kysely<RouterDatabase>): Promise<void> {
  try {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  } catch {
    // The connection is gone: the server rolled the transaction back when it closed.
  }
}
