import type { Kysely, Selectable } from 'kysely';
import type { DeadLettersTable, RouterDatabase } from '../db/schema.js';
import { decodeCursor, encodeCursor, pageLimit } from './cursor.js';

/** A message that could not be stored or delivered, with the reason and the failing JSON path. */
export interface DeadLetter {
  readonly id: number;
  readonly flowId: number | null;
  readonly flowCode: string | null;
  readonly topic: string;
  /** The payload as text when it is UTF-8, else null (see payloadBase64). */
  readonly payloadText: string | null;
  readonly payloadBase64: string;
  readonly reasonCode: string;
  readonly reason: string;
  readonly jsonPath: string | null;
  readonly msgKey: string | null;
  readonly userProperties: Record<string, unknown> | null;
  readonly receivedAt: number;
  readonly createdAt: number;
}

export interface DeadLetterFilter {
  readonly flowId?: number;
  readonly reasonCode?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function toDeadLetter(row: Selectable<DeadLettersTable>): DeadLetter {
  const payload = Buffer.from(row.payload);
  let payloadText: string | null;
  try {
    payloadText = utf8.decode(payload);
  } catch {
    payloadText = null;
  }
  let userProperties: Record<string, unknown> | null = null;
  if (row.user_properties) {
    try {
      userProperties = JSON.parse(row.user_properties) as Record<string, unknown>;
    } catch {
      userProperties = null;
    }
  }
  return {
    id: Number(row.id),
    flowId: row.flow_id === null ? null : Number(row.flow_id),
    flowCode: row.flow_code,
    topic: row.topic,
    payloadText,
    payloadBase64: payload.toString('base64'),
    reasonCode: row.reason_code,
    reason: row.reason,
    jsonPath: row.json_path,
    msgKey: row.msg_key,
    userProperties,
    receivedAt: Number(row.received_at),
    createdAt: Number(row.created_at),
  };
}

/** Dead letters for the HTTP API: newest first, filtered, paginated; delete after inspection. Redrive is `FlowRouter.redrive`. */
export class DeadLetterRepository {
  readonly #db: Kysely<RouterDatabase>;

  constructor(db: Kysely<RouterDatabase>) {
    this.#db = db;
  }

  async list(
    options: DeadLetterFilter & { limit?: number; cursor?: string } = {},
  ): Promise<{ items: DeadLetter[]; nextCursor: string | null }> {
    const limit = pageLimit(options.limit, 1_000);
    let q = this.#db.selectFrom('dead_letters').selectAll().orderBy('id', 'desc');
    if (options.flowId !== undefined) q = q.where('flow_id', '=', options.flowId);
    if (options.reasonCode !== undefined) q = q.where('reason_code', '=', options.reasonCode);
    if (options.cursor !== undefined) {
      const [before] = decodeCursor(options.cursor, 'd', ['number']) as [number];
      q = q.where('id', '<', before);
    }
    const rows = await q.limit(limit + 1).execute();
    const items = rows.slice(0, limit).map(toDeadLetter);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor('d', [last.id]) : null };
  }

  async get(id: number): Promise<DeadLetter | undefined> {
    const row = await this.#db.selectFrom('dead_letters').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toDeadLetter(row) : undefined;
  }

  async count(filter: DeadLetterFilter = {}): Promise<number> {
    let q = this.#db.selectFrom('dead_letters').select((eb) => eb.fn.countAll<number>().as('n'));
    if (filter.flowId !== undefined) q = q.where('flow_id', '=', filter.flowId);
    if (filter.reasonCode !== undefined) q = q.where('reason_code', '=', filter.reasonCode);
    const row = await q.executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Deletes these dead letters; returns how many there were. */
  async delete(ids: readonly number[]): Promise<number> {
    if (ids.length === 0) return 0;
    const r = await this.#db.deleteFrom('dead_letters').where('id', 'in', ids).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
