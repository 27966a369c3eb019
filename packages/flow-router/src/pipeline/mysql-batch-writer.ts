import { CompiledQuery, type Kysely } from 'kysely';
import type { RouterDatabase } from '../db/schema.js';
import { type ExistingKey, keyOf, planBatch } from './plan-batch.js';
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

/**
 * The MySQL batch in two round trips (the connection allows several statements per query):
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
    const exec = (q: CompiledQuery) => conn.executeQuery(q);
    const first: SqlStatement[] = [
      { sql: 'begin', params: [] },
      {
        sql: `select id, last_msg_id from flows where id in (${placeholders(flowIds.length)}) order by id for update`,
        params: flowIds,
      },
      ...chunks(keys, KEYS_PER_SELECT).map((part) => ({
        sql: `select flow_id, msg_key, key_kind, received_at from message_keys where flow_id in (${placeholders(flowIds.length)}) and msg_key in (${placeholders(part.length)})`,
        params: [...flowIds, ...part],
      })),
    ];
    let committed = false;
    try {
      const sets = resultSets((await exec(join(first))).rows as unknown[]);
      const counters = new Map<number, number>();
      for (const r of (sets[1] ?? []) as Array<{ id: number; last_msg_id: number }>) {
        counters.set(Number(r.id), Number(r.last_msg_id));
      }
      const existing = new Map<string, ExistingKey>();
      for (const set of sets.slice(2)) {
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
      await exec(join(second));
      committed = true;
      return plan.outcomes;
    } finally {
      if (!committed) await rollback(conn);
    }
  });
}

async function rollback(conn: Kysely<RouterDatabase>): Promise<void> {
  try {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  } catch {
    // The connection is gone: the server rolled the transaction back when it closed.
  }
}
