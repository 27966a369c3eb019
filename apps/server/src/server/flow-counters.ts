import type { RouterDatabase } from '@iotgw/flow-router';
import type { Kysely } from 'kysely';

export interface FlowCounts {
  readonly records: number;
  readonly deadLetters: number;
}

/**
 * Records stored and dead letters per flow, in two grouped queries (index scans of data_records and
 * dead_letters: cheap for thousands of rows, seconds for hundreds of millions — see docs/server.md).
 */
export async function flowCounts(
  db: Kysely<RouterDatabase>,
  flowIds?: readonly number[],
): Promise<Map<number, FlowCounts>> {
  if (flowIds !== undefined && flowIds.length === 0) return new Map();
  let records = db
    .selectFrom('data_records')
    .select((eb) => ['flow_id', eb.fn.countAll<number | string>().as('n')])
    .groupBy('flow_id');
  let dead = db
    .selectFrom('dead_letters')
    .select((eb) => ['flow_id', eb.fn.countAll<number | string>().as('n')])
    .where('flow_id', 'is not', null)
    .groupBy('flow_id');
  if (flowIds !== undefined) {
    records = records.where('flow_id', 'in', flowIds);
    dead = dead.where('flow_id', 'in', flowIds);
  }
  const [recordRows, deadRows] = await Promise.all([records.execute(), dead.execute()]);
  const out = new Map<number, { records: number; deadLetters: number }>();
  const entry = (id: number) => {
    let e = out.get(id);
    if (!e) {
      e = { records: 0, deadLetters: 0 };
      out.set(id, e);
    }
    return e;
  };
  for (const r of recordRows) entry(Number(r.flow_id)).records = Number(r.n);
  for (const r of deadRows) if (r.flow_id !== null) entry(Number(r.flow_id)).deadLetters = Number(r.n);
  return out;
}
