import { allContracts } from './all-contracts.js';
import {
  type GatewayReceipt,
  MAX_RECEIPT_OUTBOXES,
  MAX_RECEIPT_RANGES,
} from './contracts/gateway-receipt.js';

/** An edge message id `<outbox id>:<seq>` split into its parts, or null when it is not one. */
export function parseOutboxMessageId(id: string): { outbox: string; seq: number } | null {
  const colon = id.lastIndexOf(':');
  if (colon <= 0 || colon > 128) return null;
  const digits = id.slice(colon + 1);
  if (!/^[1-9][0-9]{0,15}$/.test(digits)) return null;
  const seq = Number(digits);
  if (!Number.isSafeInteger(seq)) return null;
  return { outbox: id.slice(0, colon), seq };
}

/** Sorted, merged inclusive ranges of a set of seqs: [1,2,3,7] → [[1,3],[7,7]]. Pure. */
export function seqRanges(seqs: Iterable<number>): [number, number][] {
  const sorted = [...new Set(seqs)].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const seq of sorted) {
    const last = ranges.at(-1);
    if (last && seq === last[1] + 1) last[1] = seq;
    else ranges.push([seq, seq]);
  }
  return ranges;
}

/**
 * Receipt payloads covering `seqsByOutbox`, each within the contract's bounds (at most
 * MAX_RECEIPT_OUTBOXES outboxes and MAX_RECEIPT_RANGES ranges per outbox: more become more receipts).
 */
export function receiptPayloads(seqsByOutbox: ReadonlyMap<string, Iterable<number>>): GatewayReceipt[] {
  const parts: { outbox: string; ranges: [number, number][] }[] = [];
  for (const [outbox, seqs] of seqsByOutbox) {
    const ranges = seqRanges(seqs);
    for (let i = 0; i < ranges.length; i += MAX_RECEIPT_RANGES) {
      parts.push({ outbox, ranges: ranges.slice(i, i + MAX_RECEIPT_RANGES) });
    }
  }
  const payloads: GatewayReceipt[] = [];
  for (let i = 0; i < parts.length; i += MAX_RECEIPT_OUTBOXES) {
    payloads.push({ outboxes: parts.slice(i, i + MAX_RECEIPT_OUTBOXES) });
  }
  return payloads;
}

/** Whether `seq` of `outbox` is covered by the receipt. */
export function receiptCovers(receipt: GatewayReceipt, outbox: string, seq: number): boolean {
  for (const o of receipt.outboxes) {
    if (o.outbox !== outbox) continue;
    for (const range of o.ranges) if (seq >= (range[0] ?? 0) && seq <= (range[1] ?? -1)) return true;
  }
  return false;
}

/** Contracts a gateway publishes on (they name a gatewayId and carry no secrets); derived once. */
const gatewayTopics = allContracts.filter(
  (c) => c.params.includes('gatewayId') && !c.carriesSecrets && c.name !== 'gatewayReceipt',
);

/** The gateway a topic belongs to by the contracts' templates (its `{gatewayId}`), or null. Pure. */
export function gatewayIdOfTopic(topic: string): string | null {
  for (const contract of gatewayTopics) {
    const params = contract.match(topic) as Record<string, string> | null;
    const id = params?.gatewayId;
    if (id) return id;
  }
  return null;
}
