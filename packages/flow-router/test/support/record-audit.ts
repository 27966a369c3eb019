import type { RouterDatabase } from '@iotgw/flow-router';
import type { Kysely } from 'kysely';

export interface RecordAudit {
  readonly records: number;
  readonly lastMsgId: number;
  readonly distinctMsgIds: number;
  readonly minMsgId: number | null;
  readonly maxMsgId: number | null;
  /** msg ids that do not have exactly `fieldsPerMessage` records. */
  readonly badGroups: number;
  /** Distinct values of the `seq` field: each published message stored once. */
  readonly distinctSeq: number;
}

/** What a flow holds, for exactly-once assertions. */
export async function auditFlow(
  db: Kysely<RouterDatabase>,
  flowId: number,
  fieldsPerMessage: number,
): Promise<RecordAudit> {
  const totals = await db
    .selectFrom('data_records')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.count<number>('msg_id').distinct().as('ids'),
      eb.fn.min<number>('msg_id').as('lo'),
      eb.fn.max<number>('msg_id').as('hi'),
    ])
    .where('flow_id', '=', flowId)
    .executeTakeFirstOrThrow();
  const groups = await db
    .selectFrom('data_records')
    .select(['msg_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('flow_id', '=', flowId)
    .groupBy('msg_id')
    .execute();
  const seq = await db
    .selectFrom('data_records')
    .select((eb) => eb.fn.count<number>('num_value').distinct().as('n'))
    .where('flow_id', '=', flowId)
    .where('field', '=', 'seq')
    .executeTakeFirstOrThrow();
  const flow = await db
    .selectFrom('flows')
    .select('last_msg_id')
    .where('id', '=', flowId)
    .executeTakeFirstOrThrow();
  return {
    records: Number(totals.n),
    lastMsgId: Number(flow.last_msg_id),
    distinctMsgIds: Number(totals.ids),
    minMsgId: totals.lo === null ? null : Number(totals.lo),
    maxMsgId: totals.hi === null ? null : Number(totals.hi),
    badGroups: groups.filter((g) => Number(g.n) !== fieldsPerMessage).length,
    distinctSeq: Number(seq.n),
  };
}

export async function recordCount(db: Kysely<RouterDatabase>, flowId: number): Promise<number> {
  const row = await db
    .selectFrom('data_records')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('flow_id', '=', flowId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Polls `check` until it returns true or `timeoutMs` passes (then throws with `describe()`). */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  describe: () => Promise<string> | string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${await describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The audit of a flow that stored `messages` messages of `fields` fields each, exactly once. */
export function exactlyOnce(messages: number, fields: number): RecordAudit {
  return {
    records: messages * fields,
    lastMsgId: messages,
    distinctMsgIds: messages,
    minMsgId: 1,
    maxMsgId: messages,
    badGroups: 0,
    distinctSeq: messages,
  };
}
