import type { BatchPlan } from './plan-batch.js';

/** Rows per INSERT statement (SQLite allows 32,766 parameters; MySQL's limit is the packet size). */
export const ROWS_PER_INSERT = 1000;
export const KEYS_PER_SELECT = 1000;

export function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

export interface SqlStatement {
  readonly sql: string;
  readonly params: unknown[];
}

const RECORD_COLUMNS = [
  'flow_id',
  'msg_id',
  'field',
  'value_type',
  'num_value',
  'str_value',
  'bool_value',
  'json_value',
  'topic',
  'received_at',
] as const;
const KEY_COLUMNS = ['flow_id', 'msg_key', 'key_kind', 'msg_id', 'outcome', 'received_at'] as const;
const OUTBOX_COLUMNS = [
  'flow_id',
  'flow_code',
  'msg_id',
  'msg_key',
  'url',
  'payload',
  'topic',
  'received_at',
  'attempts',
  'next_attempt_at',
  'lease_owner',
  'lease_until',
  'last_error',
  'last_status',
  'created_at',
] as const;
const DEAD_COLUMNS = [
  'flow_id',
  'flow_code',
  'topic',
  'payload',
  'reason_code',
  'reason',
  'json_path',
  'msg_key',
  'user_properties',
  'received_at',
  'created_at',
] as const;

/**
 * Multi-row INSERTs written directly: for thousands of rows a second, kysely's query building costs
 * more CPU than the insert itself. Column names are fixed identifiers; every value is a bound parameter.
 */
export function insertStatements<T extends object>(
  table: string,
  columns: readonly (keyof T & string)[],
  rows: readonly T[],
): SqlStatement[] {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  return chunks(rows, ROWS_PER_INSERT).map((part) => {
    const params: unknown[] = [];
    for (const row of part) for (const c of columns) params.push(row[c] ?? null);
    return {
      sql: `insert into ${table} (${columns.join(', ')}) values ${part.map(() => tuple).join(', ')}`,
      params,
    };
  });
}

/**
 * How a row's `msg_id` is written: as a bound value, or (MySQL, one round trip under the lock) as
 * `@counter_of_its_flow + offset`, where the plan's msg id is the offset.
 */
export type MsgIdSql = ((flowId: number, offset: number) => string) | undefined;

function insertStatementsWithIds<T extends { flow_id: number; msg_id?: number | bigint | null }>(
  table: string,
  columns: readonly (keyof T & string)[],
  rows: readonly T[],
  msgIdSql: MsgIdSql,
): SqlStatement[] {
  if (msgIdSql === undefined) return insertStatements(table, columns, rows);
  return chunks(rows, ROWS_PER_INSERT).map((part) => {
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (const row of part) {
      const cells: string[] = [];
      for (const c of columns) {
        if (c === 'msg_id' && row.msg_id !== null && row.msg_id !== undefined) {
          cells.push(msgIdSql(row.flow_id, Number(row.msg_id)));
        } else {
          cells.push('?');
          params.push(row[c] ?? null);
        }
      }
      tuples.push(`(${cells.join(', ')})`);
    }
    return { sql: `insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`, params };
  });
}

/** The INSERTs of a batch plan, in a fixed table order. */
export function batchInserts(plan: BatchPlan, msgIdSql?: MsgIdSql): SqlStatement[] {
  return [
    ...insertStatementsWithIds('data_records', RECORD_COLUMNS, plan.records, msgIdSql),
    ...insertStatementsWithIds('message_keys', KEY_COLUMNS, plan.keyRows, msgIdSql),
    ...insertStatementsWithIds('http_outbox', OUTBOX_COLUMNS, plan.outbox, msgIdSql),
    ...insertStatements('dead_letters', DEAD_COLUMNS, plan.dead),
  ];
}
