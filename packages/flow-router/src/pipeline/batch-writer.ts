import { CompiledQuery, type Insertable, type Kysely, type Transaction } from 'kysely';
import type {
  DataRecordsTable,
  DeadLettersTable,
  HttpOutboxTable,
  MessageKeysTable,
  RouterDatabase,
} from '../db/schema.js';
import type { DatabaseKind } from '../settings/load-router-settings.js';
import type { ItemOutcome, WorkItem } from './work-item.js';

export interface BatchWriterContext {
  readonly db: Kysely<RouterDatabase>;
  readonly dialect: DatabaseKind;
  /** A message without an id is a duplicate of one with the same key received at most this long before. */
  readonly dedupWindowMs: number;
  readonly now: () => number;
}

/** Rows per INSERT statement (SQLite allows 32,766 parameters; MySQL's limit is the packet size). */
const ROWS_PER_INSERT = 1000;
const KEYS_PER_SELECT = 1000;

function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * A multi-row INSERT written directly: for thousands of rows a second kysely's query building costs
 * more CPU than the insert itself. Column names are fixed identifiers; values are bound parameters.
 */
async function insertRows<T extends object>(
  trx: Transaction<RouterDatabase>,
  table: string,
  columns: readonly (keyof T & string)[],
  rows: readonly T[],
): Promise<void> {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (const part of chunks(rows, ROWS_PER_INSERT)) {
    const params: unknown[] = [];
    for (const row of part) for (const c of columns) params.push(row[c] ?? null);
    const text = `insert into ${table} (${columns.join(', ')}) values ${part.map(() => tuple).join(', ')}`;
    await trx.executeQuery(CompiledQuery.raw(text, params));
  }
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

function keyOf(flowId: number, key: string): string {
  return `${flowId}\u0000${key}`;
}

async function existingKeys(
  trx: Transaction<RouterDatabase>,
  flowIds: readonly number[],
  keys: readonly string[],
): Promise<Map<string, { kind: string; receivedAt: number }>> {
  const found = new Map<string, { kind: string; receivedAt: number }>();
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

function userPropertiesText(item: WorkItem): string | null {
  return Object.keys(item.userProperties).length > 0 ? JSON.stringify(item.userProperties) : null;
}

/**
 * Commits one batch in one transaction and returns each item's outcome, in order:
 * 1. lock the batch's flow rows in id order (`SELECT … FOR UPDATE` on MySQL, `BEGIN IMMEDIATE` on
 *    SQLite): the counter of a flow has one writer at a time, across router processes;
 * 2. read which message keys the flows already have (the unique key that drops redeliveries);
 * 3. give every new stored or queued message `msg_id = ++last_msg_id`, in batch order;
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
  const flowIds = [...new Set(items.map((i) => i.flowId))].sort((a, b) => a - b);
  const keys = [...new Set(items.map((i) => i.key.value))];
  const run = async (trx: Transaction<RouterDatabase>): Promise<ItemOutcome[]> => {
    const now = ctx.now();
    let lock = trx.selectFrom('flows').select(['id', 'last_msg_id']).where('id', 'in', flowIds).orderBy('id');
    if (ctx.dialect === 'mysql') lock = lock.forUpdate();
    const counters = new Map<number, number>();
    for (const r of await lock.execute()) counters.set(Number(r.id), Number(r.last_msg_id));
    const before = new Map(counters);
    const existing = await existingKeys(trx, flowIds, keys);

    const outcomes: ItemOutcome[] = [];
    const seen = new Set<string>();
    const replaced: Array<{ flowId: number; key: string }> = [];
    const records: Insertable<DataRecordsTable>[] = [];
    const keyRows: Insertable<MessageKeysTable>[] = [];
    const outbox: Insertable<HttpOutboxTable>[] = [];
    const dead: Insertable<DeadLettersTable>[] = [];
    const redriven: number[] = [];

    for (const item of items) {
      const k = keyOf(item.flowId, item.key.value);
      const counter = counters.get(item.flowId);
      const base = {
        topic: item.topic,
        received_at: item.receivedAt,
      };
      if (counter === undefined) {
        dead.push({
          ...base,
          flow_id: item.flowId,
          flow_code: item.flowCode,
          payload: item.payload,
          reason_code: 'FLOW_ERR_DELETED',
          reason: 'the flow was deleted while the message was on its way',
          json_path: null,
          msg_key: item.key.value,
          user_properties: userPropertiesText(item),
          created_at: now,
        });
        outcomes.push({ outcome: 'dead_letter', reasonCode: 'FLOW_ERR_DELETED' });
        continue;
      }
      if (seen.has(k)) {
        outcomes.push({ outcome: 'duplicate' });
        continue;
      }
      const ex = existing.get(k);
      if (ex && item.redriveOf === undefined) {
        const fresh = ex.kind === 'id' || item.receivedAt - ex.receivedAt <= ctx.dedupWindowMs;
        if (fresh) {
          outcomes.push({ outcome: 'duplicate' });
          continue;
        }
      }
      if (ex) replaced.push({ flowId: item.flowId, key: item.key.value });
      if (item.redriveOf !== undefined) redriven.push(item.redriveOf);
      seen.add(k);
      const keyRow = {
        flow_id: item.flowId,
        msg_key: item.key.value,
        key_kind: item.key.kind,
        received_at: item.receivedAt,
      };
      const action = item.action;
      if (action.kind === 'dead') {
        dead.push({
          ...base,
          flow_id: item.flowId,
          flow_code: item.flowCode,
          payload: item.payload,
          reason_code: action.reason.code,
          reason: action.reason.reason,
          json_path: action.reason.jsonPath,
          msg_key: item.key.value,
          user_properties: userPropertiesText(item),
          created_at: now,
        });
        keyRows.push({ ...keyRow, msg_id: null, outcome: 'dead' });
        outcomes.push({ outcome: 'dead_letter', reasonCode: action.reason.code });
        continue;
      }
      const msgId = counter + 1;
      counters.set(item.flowId, msgId);
      if (action.kind === 'store') {
        for (const v of action.values) {
          records.push({
            ...base,
            flow_id: item.flowId,
            msg_id: msgId,
            field: v.field,
            value_type: v.type,
            num_value: v.num,
            str_value: v.str,
            bool_value: v.bool,
            json_value: v.json,
          });
        }
        keyRows.push({ ...keyRow, msg_id: msgId, outcome: 'stored' });
        outcomes.push({ outcome: 'stored', msgId });
      } else {
        outbox.push({
          ...base,
          flow_id: item.flowId,
          flow_code: item.flowCode,
          msg_id: msgId,
          msg_key: item.key.value,
          url: action.url,
          payload: action.body,
          attempts: 0,
          next_attempt_at: now,
          lease_owner: null,
          lease_until: 0,
          last_error: null,
          last_status: null,
          created_at: now,
        });
        keyRows.push({ ...keyRow, msg_id: msgId, outcome: 'queued' });
        outcomes.push({ outcome: 'queued', msgId });
      }
    }

    const byFlow = new Map<number, string[]>();
    for (const r of replaced) byFlow.set(r.flowId, [...(byFlow.get(r.flowId) ?? []), r.key]);
    for (const [flowId, list] of byFlow) {
      await trx
        .deleteFrom('message_keys')
        .where('flow_id', '=', flowId)
        .where('msg_key', 'in', list)
        .execute();
    }
    if (redriven.length > 0) await trx.deleteFrom('dead_letters').where('id', 'in', redriven).execute();
    await insertRows(trx, 'data_records', RECORD_COLUMNS, records);
    await insertRows(trx, 'message_keys', KEY_COLUMNS, keyRows);
    for (const part of chunks(outbox, ROWS_PER_INSERT))
      await trx.insertInto('http_outbox').values(part).execute();
    for (const part of chunks(dead, ROWS_PER_INSERT))
      await trx.insertInto('dead_letters').values(part).execute();
    for (const [flowId, value] of counters) {
      if (before.get(flowId) !== value) {
        await trx.updateTable('flows').set({ last_msg_id: value }).where('id', '=', flowId).execute();
      }
    }
    return outcomes;
  };
  return ctx.db.transaction().execute(run);
}
