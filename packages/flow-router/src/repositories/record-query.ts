import type { Kysely, Selectable } from 'kysely';
import type { DataRecordsTable, RouterDatabase, ValueType } from '../db/schema.js';
import { decodeCursor, encodeCursor, pageLimit } from './cursor.js';

/** One stored payload field. */
export interface DataRecord {
  readonly flowId: number;
  readonly msgId: number;
  readonly field: string;
  readonly type: ValueType;
  /** number, string, boolean, null, or the parsed object/array. */
  readonly value: unknown;
  readonly topic: string;
  readonly receivedAt: number;
}

export interface RecordQueryOptions {
  readonly flowId: number;
  /** One field over time (uses the series index); without it, whole messages in msg id order. */
  readonly field?: string;
  /** received_at >= from (ms). */
  readonly from?: number;
  /** received_at < to (ms). */
  readonly to?: number;
  /** Page size, 1..10,000 (default 100). */
  readonly limit?: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
}

export interface RecordPage {
  readonly records: DataRecord[];
  readonly nextCursor: string | null;
}

function value(row: Selectable<DataRecordsTable>): unknown {
  switch (row.value_type) {
    case 'number':
      return row.num_value === null ? null : Number(row.num_value);
    case 'string':
      return row.str_value;
    case 'boolean':
      return row.bool_value === null ? null : Number(row.bool_value) === 1;
    case 'json':
      return row.json_value === null ? null : JSON.parse(row.json_value);
    default:
      return null;
  }
}

function toRecord(row: Selectable<DataRecordsTable>): DataRecord {
  return {
    flowId: Number(row.flow_id),
    msgId: Number(row.msg_id),
    field: row.field,
    type: row.value_type,
    value: value(row),
    topic: row.topic,
    receivedAt: Number(row.received_at),
  };
}

/** Reads stored records for the HTTP API: by flow, field and time range, with keyset (cursor) pagination. */
export class RecordQuery {
  readonly #db: Kysely<RouterDatabase>;

  constructor(db: Kysely<RouterDatabase>) {
    this.#db = db;
  }

  async query(options: RecordQueryOptions): Promise<RecordPage> {
    const limit = pageLimit(options.limit);
    let q = this.#db.selectFrom('data_records').selectAll().where('flow_id', '=', options.flowId);
    if (options.from !== undefined) q = q.where('received_at', '>=', options.from);
    if (options.to !== undefined) q = q.where('received_at', '<', options.to);
    if (options.field !== undefined) {
      q = q.where('field', '=', options.field).orderBy('received_at').orderBy('msg_id');
      if (options.cursor !== undefined) {
        const [at, msgId] = decodeCursor(options.cursor, 'f', ['number', 'number']) as [number, number];
        q = q.where((eb) =>
          eb.or([eb('received_at', '>', at), eb.and([eb('received_at', '=', at), eb('msg_id', '>', msgId)])]),
        );
      }
    } else {
      q = q.orderBy('msg_id').orderBy('field');
      if (options.cursor !== undefined) {
        const [msgId, field] = decodeCursor(options.cursor, 'm', ['number', 'string']) as [number, string];
        q = q.where((eb) =>
          eb.or([eb('msg_id', '>', msgId), eb.and([eb('msg_id', '=', msgId), eb('field', '>', field)])]),
        );
      }
    }
    const rows = await q.limit(limit + 1).execute();
    const records = rows.slice(0, limit).map(toRecord);
    const last = records[records.length - 1];
    const nextCursor =
      rows.length > limit && last
        ? options.field !== undefined
          ? encodeCursor('f', [last.receivedAt, last.msgId])
          : encodeCursor('m', [last.msgId, last.field])
        : null;
    return { records, nextCursor };
  }

  /** The distinct field names a flow has stored. */
  async fields(flowId: number): Promise<string[]> {
    const rows = await this.#db
      .selectFrom('data_records')
      .select('field')
      .distinct()
      .where('flow_id', '=', flowId)
      .orderBy('field')
      .execute();
    return rows.map((r) => r.field);
  }

  async count(flowId: number): Promise<number> {
    const row = await this.#db
      .selectFrom('data_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('flow_id', '=', flowId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
