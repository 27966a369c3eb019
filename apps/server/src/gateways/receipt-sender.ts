import {
  type GatewayReceipt,
  gatewayIdOfTopic,
  parseOutboxMessageId,
  receiptPayloads,
} from '@iotgw/contracts';
import type { AcknowledgedMessage } from '@iotgw/flow-router';

/** Publishes one receipt (QoS 1) to a gateway; rejects only on a programming error. */
export type ReceiptPublish = (gatewayId: string, receipt: GatewayReceipt) => Promise<unknown>;

/**
 * Turns what the router acknowledged into receipts to each gateway (docs/topics.md, gatewayReceipt):
 * messages acknowledged in one event-loop turn (one commit) are gathered and sent as one receipt per
 * gateway. Only messages with an edge message id (`<outbox>:<seq>`) on a gateway contract's topic
 * count; anything else is ignored. What waits between turns is bounded by one commit's messages.
 */
export class ReceiptSender {
  readonly #publish: ReceiptPublish;
  readonly #onError: (err: unknown) => void;
  /** gatewayId → outbox → seqs, for the current turn. */
  #pending = new Map<string, Map<string, number[]>>();
  #scheduled = false;
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
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Sends what was gathered now. */
  flush(): void {
    this.#scheduled = false;
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
