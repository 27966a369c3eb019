import {
  type GatewayReceipt,
  gatewayIdOfTopic,
  parseOutboxMessageId,
  receiptPayloads,
} from '@iotgw/contracts';
import type { AcknowledgedMessage } from '@iotgw/flow-router';

/** Publishes one receipt (QoS 1) to a gateway; rejects only on a programming error. */
export type ReceiptPublish = (gatewayId: string, receipt: GatewayReceipt) => Promise<unknown>;

/** How long acknowledgements are gathered before their receipts go out (ms). */
export const RECEIPT_LINGER_MS = 20;
/** Seqs gathered at most; one more sends what waits at once (bounds memory). */
export const RECEIPT_MAX_PENDING = 4096;

/**
 * Turns what the router acknowledged into receipts to each gateway (docs/topics.md, gatewayReceipt):
 * what the commits of RECEIPT_LINGER_MS acknowledged is gathered and sent as one receipt per gateway
 * (a router connection commits one message at a time, so per-commit receipts would be per message).
 * Only messages with an edge message id (`<outbox>:<seq>`) on a gateway contract's topic count;
 * anything else is ignored. At most RECEIPT_MAX_PENDING seqs wait.
 */
export class ReceiptSender {
  readonly #publish: ReceiptPublish;
  readonly #onError: (err: unknown) => void;
  /** gatewayId → outbox → seqs, for the current turn. */
  #pending = new Map<string, Map<string, number[]>>();
  #timer: NodeJS.Timeout | undefined;
  #pendingCount = 0;
  #sent = 0;

  constructor(publish: ReceiptPublish, onError: (err: unknown) => void) {
    this.#publish = publish;
    this.#onError = onError;
  }

  /** Receipts published so far. */
  get sent(): number {
    return this.#sent;
  }

  acknowledged(message: AcknowledgedMessage): void {
    const gatewayId = gatewayIdOfTopic(message.topic);
    if (gatewayId === null) return;
    const id = parseOutboxMessageId(message.msgId);
    if (id === null) return;
    let outboxes = this.#pending.get(gatewayId);
    if (!outboxes) {
      outboxes = new Map();
      this.#pending.set(gatewayId, outboxes);
    }
    const seqs = outboxes.get(id.outbox);
    if (seqs) seqs.push(id.seq);
    else outboxes.set(id.outbox, [id.seq]);
    if (++this.#pendingCount >= RECEIPT_MAX_PENDING) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), RECEIPT_LINGER_MS);
  }

  /** Sends what was gathered now. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pendingCount = 0;
    const pending = this.#pending;
    this.#pending = new Map();
    for (const [gatewayId, outboxes] of pending) {
      for (const receipt of receiptPayloads(outboxes)) {
        this.#sent++;
        this.#publish(gatewayId, receipt).catch(this.#onError);
      }
    }
  }
}
