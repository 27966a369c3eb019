import type { Insertable } from 'kysely';
import type { DataRecordsTable, DeadLettersTable, HttpOutboxTable, MessageKeysTable } from '../db/schema.js';
import { redactPayload } from './redact-secrets.js';
import type { ItemOutcome, WorkItem } from './work-item.js';

export interface ExistingKey {
  readonly kind: string;
  readonly receivedAt: number;
}

/** Everything one batch transaction writes, decided before any write. */
export interface BatchPlan {
  readonly outcomes: ItemOutcome[];
  readonly records: Insertable<DataRecordsTable>[];
  readonly keyRows: Insertable<MessageKeysTable>[];
  readonly outbox: Insertable<HttpOutboxTable>[];
  readonly dead: Insertable<DeadLettersTable>[];
  /** Keys to delete before inserting them again (expired content hashes, redriven messages), by flow. */
  readonly replaced: Map<number, string[]>;
  /** Dead letters a redrive replaces. */
  readonly redriven: number[];
  /** New `last_msg_id` of every flow whose counter moved. */
  readonly counters: Array<[number, number]>;
}

export function keyOf(flowId: number, key: string): string {
  return `${flowId}\u0000${key}`;
}

function userPropertiesText(item: WorkItem): string | null {
  return Object.keys(item.userProperties).length > 0 ? JSON.stringify(item.userProperties) : null;
}

/**
 * Decides a batch under the flow locks: duplicates (a key the flow already has — by id always, by
 * content hash within the dedup window — or a key seen earlier in the batch), msg ids (`++last_msg_id`
 * per flow, in batch order) and the rows to insert. Pure.
 */
export function planBatch(
  items: readonly WorkItem[],
  lockedCounters: ReadonlyMap<number, number>,
  existing: ReadonlyMap<string, ExistingKey>,
  dedupWindowMs: number,
  now: number,
): BatchPlan {
  const counters = new Map(lockedCounters);
  const outcomes: ItemOutcome[] = [];
  const seen = new Set<string>();
  const replaced = new Map<number, string[]>();
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
        payload: redactPayload(item.payload),
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
      const fresh = ex.kind === 'id' || item.receivedAt - ex.receivedAt <= dedupWindowMs;
      if (fresh) {
        outcomes.push({ outcome: 'duplicate' });
        continue;
      }
    }
    if (ex) replaced.set(item.flowId, [...(replaced.get(item.flowId) ?? []), item.key.value]);
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
        payload: redactPayload(item.payload),
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

  const moved: Array<[number, number]> = [];
  for (const [flowId, value] of counters)
    if (lockedCounters.get(flowId) !== value) moved.push([flowId, value]);
  return { outcomes, records, keyRows, outbox, dead, replaced, redriven, counters: moved };
}
