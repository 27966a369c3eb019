import { idOfKey, openDatabase } from '@iotgw/flow-router';
import type { RecordedMessage } from '@iotgw/testkit';

export interface FlowCount {
  flow: string;
  /** Distinct messages the tap saw on the flow's topics (redeliveries folded by message id). */
  produced: number;
  /** Messages stored (distinct msg ids in data_records). */
  stored: number;
  records: number;
  duplicateRecords: number;
  lastMsgId: number;
  /** msg ids 1..lastMsgId each present: gap-free. */
  gapFree: boolean;
  /** Message ids produced but not stored, and stored but never produced (the first ten, and how many). */
  missing: string[];
  unexpected: string[];
  missingCount: number;
  unexpectedCount: number;
}

const FLOW_OF = (topic: string): string | undefined => {
  if (/^[^/]+\/[^/]+\/update$/.test(topic)) return 'thingy52';
  if (/^v2\/[^/]+\/ble\/[^/]+\/data$/.test(topic)) return 'ble';
  if (/^v2\/[^/]+\/[^/]+\/data$/.test(topic)) return 'meters';
  return undefined;
};

/**
 * Checks exactly-once end to end: what the tap saw on the broker (every message the edge published,
 * de-duplicated by its iotgw-msg-id) against what the server committed, flow by flow.
 */
export async function verifyExactlyOnce(
  databaseUrl: string,
  tapped: readonly RecordedMessage[],
): Promise<FlowCount[]> {
  const produced = new Map<string, Set<string>>();
  for (const m of tapped) {
    const flow = FLOW_OF(m.topic);
    if (!flow || !m.msgId) continue;
    if (!produced.has(flow)) produced.set(flow, new Set());
    produced.get(flow)?.add(m.msgId);
  }
  const { db, close } = openDatabase(databaseUrl);
  try {
    const out: FlowCount[] = [];
    for (const flow of await db.selectFrom('flows').select(['id', 'code', 'last_msg_id']).execute()) {
      const records = await db
        .selectFrom('data_records')
        .select(['msg_id', 'field'])
        .where('flow_id', '=', flow.id)
        .execute();
      const ids = new Set(records.map((r) => Number(r.msg_id)));
      const pairs = new Set(records.map((r) => `${r.msg_id} ${r.field}`));
      const keys = await db
        .selectFrom('message_keys')
        .select(['msg_key', 'msg_id'])
        .where('flow_id', '=', flow.id)
        .where('outcome', '=', 'stored')
        .execute();
      // Keys from an MQTT 5 message id are stored as `i:<id>@<topic scope>` (docs/flow-router.md).
      const storedKeys = new Set(keys.map((k) => idOfKey(k.msg_key) ?? k.msg_key));
      const expected = produced.get(flow.code) ?? new Set<string>();
      const last = Number(flow.last_msg_id);
      const missing = [...expected].filter((k) => !storedKeys.has(k));
      const unexpected = [...storedKeys].filter((k) => !expected.has(k));
      let gapFree = true;
      for (let i = 1; i <= last; i++) if (!ids.has(i)) gapFree = false;
      out.push({
        flow: flow.code,
        produced: expected.size,
        stored: ids.size,
        records: records.length,
        duplicateRecords: records.length - pairs.size,
        lastMsgId: last,
        gapFree,
        missing: missing.slice(0, 10),
        unexpected: unexpected.slice(0, 10),
        missingCount: missing.length,
        unexpectedCount: unexpected.length,
      });
    }
    return out;
  } finally {
    await close();
  }
}

/**
 * The edge's outbox numbers messages `<outbox id>:<seq>`: every seq seen (or named as replaced by a
 * newer copy, `iotgw-replaces`), none missing, means nothing was lost before the broker.
 */
export function outboxGaps(tapped: readonly RecordedMessage[]): {
  outboxes: number;
  maxSeq: number;
  gaps: number[];
} {
  const seqs = new Map<string, Set<number>>();
  for (const m of tapped) {
    if (!m.msgId) continue;
    const at = m.msgId.lastIndexOf(':');
    const box = m.msgId.slice(0, at);
    if (!seqs.has(box)) seqs.set(box, new Set());
    seqs.get(box)?.add(Number(m.msgId.slice(at + 1)));
    // Status and health copies replaced in the outbox before they were sent (named by their successor).
    for (const seq of m.replaces?.split(',') ?? []) seqs.get(box)?.add(Number(seq));
  }
  const gaps: number[] = [];
  let maxSeq = 0;
  for (const set of seqs.values()) {
    const max = Math.max(...set);
    maxSeq = Math.max(maxSeq, max);
    for (let i = Math.min(...set); i <= max; i++) if (!set.has(i)) gaps.push(i);
  }
  return { outboxes: seqs.size, maxSeq, gaps: gaps.slice(0, 20) };
}
