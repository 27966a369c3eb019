import type { GatewayReceipt } from '@iotgw/contracts';
import { ConnectorError } from './connector-error.js';
import type { OutboxEntry } from './outbox.js';

/**
 * Whether the outbox keeps messages after the broker's PUBACK until the server's receipt covers them:
 * `off` never (the broker's PUBACK ends the story), `on` always for topics the policy names, `auto` once
 * the first receipt has arrived (a server that sends none leaves the behaviour of `off`).
 */
export type ReceiptMode = 'off' | 'auto' | 'on';

export interface ReceiptOptions {
  mode: ReceiptMode;
  /** Which topics wait for a receipt (readings); others leave the outbox on PUBACK. */
  waitsFor: (topic: string) => boolean;
  /** Messages acknowledged by the broker but without a receipt this long are sent again. Default 60 s. */
  resendAfterMs?: number;
  /** `auto`: a receipt was already seen (by an earlier run): keep readings from the start. */
  learned?: boolean;
  /** `auto`: called once, when the first receipt arrives (to remember it across restarts). */
  onLearned?: () => void;
}

/** Seqs tracked for timing and the age metric at most; beyond, the oldest are forgotten (not removed). */
export const MAX_TRACKED_RECEIPTS = 200_000;
/** The resend pause doubles while no receipt comes, up to this multiple of `resendAfterMs`. */
const MAX_BACKOFF = 16;

/**
 * The edge's half of receipts (docs/topics.md, gatewayReceipt): remembers which messages the broker
 * accepted but the server has not confirmed, says when they are overdue, and turns a receipt into the
 * seqs to remove from the outbox. The messages themselves stay in the outbox (on disk, within its
 * limits); this only keeps seq → enqueue time, bounded by MAX_TRACKED_RECEIPTS. Pure (no I/O).
 */
export class ReceiptTracker {
  readonly #mode: ReceiptMode;
  readonly #waitsFor: (topic: string) => boolean;
  readonly #resendAfterMs: number;
  #learned: boolean;
  readonly #onLearned: (() => void) | undefined;
  /** seq → enqueuedAt, in PUBACK order. */
  readonly #held = new Map<number, number>();
  /** The highest seq a receipt has covered. */
  #maxReceipted = 0;
  /** When a receipt was first seen to have passed the oldest waiting message (0: not passed). */
  #passedAt = 0;
  #backoff = 1;
  readonly counters = { receipts: 0, receipted: 0, resends: 0, invalid: 0 };

  constructor(options: ReceiptOptions | undefined) {
    this.#mode = options?.mode ?? 'off';
    this.#waitsFor = options?.waitsFor ?? (() => false);
    this.#resendAfterMs = options?.resendAfterMs ?? 60_000;
    this.#learned = options?.learned === true;
    this.#onLearned = options?.onLearned;
    if (!['off', 'auto', 'on'].includes(this.#mode)) {
      throw new ConnectorError(
        'MQTT_ERR_OPTIONS',
        `receipts mode must be off, auto or on (got ${this.#mode})`,
      );
    }
    if (!Number.isInteger(this.#resendAfterMs) || this.#resendAfterMs < 100) {
      throw new ConnectorError(
        'MQTT_ERR_OPTIONS',
        `receipts resendAfterMs must be an integer >= 100 (got ${this.#resendAfterMs})`,
      );
    }
  }

  /** Whether PUBACKed messages are kept now (`on`, or `auto` after the first receipt). */
  get active(): boolean {
    return this.#mode === 'on' || (this.#mode === 'auto' && this.#learned);
  }

  get resendAfterMs(): number {
    return this.#resendAfterMs;
  }

  get mode(): ReceiptMode {
    return this.#mode;
  }

  /** Messages acknowledged by the broker and waiting for a receipt (as tracked). */
  get waiting(): number {
    return this.#held.size;
  }

  /** Whether this PUBACKed entry stays in the outbox until a receipt covers it. */
  keeps(entry: OutboxEntry): boolean {
    return this.active && entry.qos === 1 && this.#waitsFor(entry.topic);
  }

  /** The broker acknowledged `entry`, which now waits for its receipt. */
  hold(entry: OutboxEntry): void {
    this.#held.delete(entry.seq);
    this.#held.set(entry.seq, entry.enqueuedAt);
    if (this.#held.size > MAX_TRACKED_RECEIPTS) {
      const oldest = this.#held.keys().next().value as number;
      this.#held.delete(oldest);
    }
  }

  /** Whether `seq` was acknowledged by the broker and waits for its receipt (not to be sent again yet). */
  holds(seq: number): boolean {
    return this.#held.has(seq);
  }

  /** Everything waiting is sent again now (a resend round): tracking starts over. */
  reset(): void {
    this.#held.clear();
    this.#passedAt = 0;
  }

  /**
   * The seqs of outbox `outboxId` that `receipt` covers, limited to `[minSeq, maxSeq]` (what the outbox
   * can hold); marks receipts as seen (`auto` learns they exist).
   */
  covered(receipt: GatewayReceipt, outboxId: string, minSeq: number, maxSeq: number): number[] {
    this.counters.receipts++;
    if (!this.#learned) {
      this.#learned = true;
      if (this.#mode === 'auto') this.#onLearned?.();
    }
    const oldestBefore = this.#oldest();
    const seqs: number[] = [];
    for (const part of receipt.outboxes) {
      if (part.outbox !== outboxId) continue;
      for (const range of part.ranges) {
        const from = Math.max(range[0] ?? 1, minSeq);
        const to = Math.min(range[1] ?? 0, maxSeq);
        for (let seq = from; seq <= to; seq++) {
          seqs.push(seq);
          this.#held.delete(seq);
        }
        if (to >= from && to > this.#maxReceipted) this.#maxReceipted = to;
      }
    }
    this.counters.receipted += seqs.length;
    // The oldest waiting message got its receipt: progress, the resend pause starts over.
    if (this.#oldest() !== oldestBefore) {
      this.#passedAt = 0;
      this.#backoff = 1;
    }
    return seqs;
  }

  #oldest(): number {
    const first = this.#held.keys().next();
    return first.done ? 0 : first.value;
  }

  /**
   * Whether the waiting messages are overdue, so that everything waiting is sent again: only once the
   * server has confirmed a later message (it runs and has passed the oldest waiting one, so that one
   * was lost — e.g. in a broker crash) and `resendAfterMs` (doubling up to 16× while no progress) has
   * gone by since that was noticed. While the server is away nothing is resent: its persistent session
   * at the broker holds the messages, and resending would only pile copies into that queue.
   */
  overdue(now: number): boolean {
    const oldest = this.#oldest();
    if (oldest === 0 || this.#maxReceipted <= oldest) {
      this.#passedAt = 0;
      return false;
    }
    if (this.#passedAt === 0) this.#passedAt = now;
    if (now - this.#passedAt < this.#resendAfterMs * this.#backoff) return false;
    this.counters.resends++;
    this.#backoff = Math.min(MAX_BACKOFF, this.#backoff * 2);
    return true;
  }

  /**
   * Forgets seqs below the outbox head: the outbox dropped them (full) or a receipt removed them
   * elsewhere. Tracking is in PUBACK order, which is seq order, so this looks at the front only.
   */
  prune(headSeq: number): void {
    for (const seq of this.#held.keys()) {
      if (headSeq !== 0 && seq >= headSeq) break;
      this.#held.delete(seq);
    }
  }

  /** Age of the oldest message waiting for a receipt (ms), 0 when none. */
  oldestAgeMs(now: number): number {
    const first = this.#held.values().next();
    return first.done ? 0 : Math.max(0, now - first.value);
  }
}
