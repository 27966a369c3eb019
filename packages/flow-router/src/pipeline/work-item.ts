import type { MessageKey } from './message-key.js';
import type { RecordValue } from './record-values.js';

/** Why a message was not stored, as written to the dead-letter table. */
export interface DeadReason {
  readonly code: string;
  readonly reason: string;
  readonly jsonPath: string | null;
}

export type WorkAction =
  | { readonly kind: 'store'; readonly values: readonly RecordValue[] }
  | { readonly kind: 'post'; readonly url: string; readonly body: string }
  | { readonly kind: 'dead'; readonly reason: DeadReason };

/** One (message, flow) pair on its way into a batch transaction. */
export interface WorkItem {
  readonly flowId: number;
  readonly flowCode: string;
  readonly key: MessageKey;
  readonly topic: string;
  readonly receivedAt: number;
  readonly payload: Uint8Array;
  readonly userProperties: Readonly<Record<string, string | string[]>>;
  readonly action: WorkAction;
  /** Set by redrive: the dead letter this item replaces (its key row is replaced, not deduplicated). */
  readonly redriveOf?: number;
}

export type ItemOutcome =
  | { readonly outcome: 'stored' | 'queued'; readonly msgId: number }
  | { readonly outcome: 'duplicate' }
  | { readonly outcome: 'dead_letter'; readonly reasonCode: string };

/** The same item, sent to the dead letters instead. */
export function asDeadLetter(item: WorkItem, reason: DeadReason): WorkItem {
  const { redriveOf: _ignored, ...rest } = item;
  return { ...rest, action: { kind: 'dead', reason } };
}
