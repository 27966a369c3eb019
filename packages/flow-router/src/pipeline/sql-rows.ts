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

/** The INSERTs of a batch plan, in a fixed table order. */
export function batchInserts(plan: BatchPlan): SqlStatement[] {
  return [
    ...insertStatements('data_records', RECORD_COLUMNS, plan.records),
    ...insertStatements('message_keys', KEY_COLUMNS, plan.keyRows),
    ...insertStatements('http_outbox', OUTBOX_COLUMNS, plan.outbox),
    ...insertStatements('dead_letters', DEAD_COLUMNS, plan.dead),
  ];
}
