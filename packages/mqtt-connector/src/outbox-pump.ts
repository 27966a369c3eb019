import { type GatewayReceipt, MESSAGE_ID_PROPERTY } from '@iotgw/contracts';
import type { Logger } from '@iotgw/logger';
import type { IClientPublishOptions } from 'mqtt';
import type { Outbox, OutboxEntry } from './outbox.js';
import { publishPacketSize } from './packet-size.js';
import { isTransientPuback, reasonCodeText } from './reason-codes.js';
import type { ReceiptTracker } from './receipt-tracker.js';

/** Messages read from the outbox in one go (sent as the window allows). */
const READ_AHEAD = 512;

/** The part of an MQTT.js client the pump uses. */
export interface PublishingClient {
  publish(
    topic: string,
    payload: Buffer,
    options: IClientPublishOptions,
    callback: (err?: Error) => void,
  ): unknown;
}

export interface PumpCounters {
  /** Messages the broker refused for good with a PUBACK reason code (parked: moved out of the queue). */
  rejected: number;
  /** Messages larger than the broker's Maximum Packet Size (parked without being sent, or refused by it). */
  tooLarge: number;
  /** Messages the broker refused for now (kept; sent again on the next connection). */
  deferred: number;
  /** Messages handed to MQTT.js (including resends). */
  transmitted: number;
}

/**
 * Moves messages from the outbox to the broker over the publishing connection: at most `window` in
 * flight, in outbox (seq) order, each removed only when acknowledged. On every new connection it starts
 * again from the oldest message, so whatever was in flight when a connection dropped is resent first and
 * the order per topic holds; messages the broker acknowledged that only wait for the server's receipt are
 * skipped (resendOverdue sends them again). Late acknowledgements from a previous connection are ignored.
 */
export class OutboxPump {
  readonly counters: PumpCounters = { rejected: 0, tooLarge: 0, deferred: 0, transmitted: 0 };
  readonly #outbox: Outbox;
  readonly #log: Logger;
  #client: PublishingClient | null = null;
  #version: 4 | 5 = 5;
  #window = 1;
  /** The broker's limit on a packet's size (Maximum Packet Size, or configured); Infinity when none. */
  #maxPacketBytes = Number.POSITIVE_INFINITY;
  #epoch = 0;
  /** Entries read ahead from the outbox, not yet sent, and the highest seq read. */
  #buffer: OutboxEntry[] = [];
  #next = 0;
  #readSeq = 0;
  readonly #inflight = new Map<number, OutboxEntry>();
  #draining = false;
  #again = false;
  #kickScheduled = false;
  #waiters = new Set<() => void>();
  readonly #receipts: ReceiptTracker;
  /** The highest seq ever sent: a receipt cannot cover anything beyond. */
  #maxSent = 0;
  /** Seqs a receipt covered while still in flight (bounded by the window). */
  readonly #receiptedInFlight = new Set<number>();

  constructor(outbox: Outbox, log: Logger, receipts: ReceiptTracker) {
    this.#outbox = outbox;
    this.#log = log;
    this.#receipts = receipts;
  }

  /**
   * A receipt from the server: removes the messages it covers from the outbox. Returns how many seqs
   * it named that this outbox could hold.
   */
  receipt(receipt: GatewayReceipt): number {
    const head = this.#outbox.stats().headSeq;
    if (head === 0) {
      this.#receipts.covered(receipt, this.#outbox.id, 1, 0);
      return 0;
    }
    const seqs = this.#receipts.covered(receipt, this.#outbox.id, head, this.#maxSent);
    for (const seq of seqs) {
      // Received by the server before its PUBACK reached us: nothing to wait for once it comes.
      if (this.#inflight.has(seq)) this.#receiptedInFlight.add(seq);
      this.#remove(seq);
    }
    return seqs.length;
  }

  /**
   * Sends everything still in the outbox again when the messages waiting for a receipt are overdue
   * (ReceiptTracker.overdue; the router's dedup by msg id absorbs the copies). Called periodically.
   */
  resendOverdue(): boolean {
    if (!this.#client || !this.#receipts.overdue(Date.now())) return false;
    this.#log.warn(
      { waiting: this.#receipts.waiting, oldestAgeMs: this.#receipts.oldestAgeMs(Date.now()) },
      'no receipt from the server in time: sending the waiting messages again',
    );
    this.#receipts.reset();
    this.#epoch++;
    this.#rewind();
    this.kick();
    return true;
  }

  get inflight(): number {
    return this.#inflight.size;
  }

  attach(
    client: PublishingClient,
    window: number,
    protocolVersion: 4 | 5,
    maxPacketBytes = Number.POSITIVE_INFINITY,
  ): void {
    this.#epoch++;
    this.#client = client;
    this.#window = Math.max(1, window);
    this.#version = protocolVersion;
    this.#maxPacketBytes = maxPacketBytes;
    this.#rewind();
    this.kick();
  }

  detach(): void {
    this.#epoch++;
    this.#client = null;
    this.#rewind();
    this.#notify();
  }

  /** Starts again from the oldest message: everything not acknowledged is sent again. */
  /** Messages waiting only for a receipt are not sent again here (see resendOverdue). */
  #rewind(): void {
    this.#receiptedInFlight.clear();
    this.#inflight.clear();
    this.#buffer = [];
    this.#next = 0;
    this.#readSeq = 0;
  }

  /** Looks for work soon (coalesced: many kicks in one turn give one outbox read). */
  kick(): void {
    if (this.#kickScheduled) return;
    this.#kickScheduled = true;
    setImmediate(() => {
      this.#kickScheduled = false;
      void this.#drain();
    });
  }

  /**
   * Resolves true once the outbox is empty and nothing is in flight; false at the deadline, or as soon
   * as `canWait()` says there is no point (no connection now and none being attempted).
   */
  async waitIdle(timeoutMs: number, canWait: () => boolean): Promise<boolean> {
    // Messages waiting only for a receipt are sent: they stay on disk for the next start.
    const idle = () =>
      this.#inflight.size === 0 && (this.#outbox.depth === 0 || this.#receipts.waiting >= this.#outbox.depth);
    if (idle()) return true;
    if (!canWait()) return false;
    return new Promise<boolean>((resolve) => {
      const check = () => {
        if (idle()) finish(true);
        else if (!canWait()) finish(false);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (result: boolean) => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(result);
      };
      this.#waiters.add(check);
    });
  }

  /**
   * The broker closed the connection because a packet was too large (DISCONNECT 0x95): parks the
   * largest message in flight, the one it must have been, so that the next connection moves on.
   */
  brokerSaidTooLarge(): void {
    let largest: OutboxEntry | undefined;
    let largestSize = -1;
    for (const entry of this.#inflight.values()) {
      const size = this.#packetSize(entry);
      if (size > largestSize) {
        largest = entry;
        largestSize = size;
      }
    }
    if (!largest) return;
    this.counters.tooLarge++;
    this.#park(
      largest,
      `the broker disconnected with 0x95 (packet too large) while this ${largestSize}-byte packet was in flight`,
    );
  }

  #packetSize(entry: OutboxEntry): number {
    const userProperties =
      this.#version === 5 ? { ...entry.userProperties, [MESSAGE_ID_PROPERTY]: entry.id } : {};
    return publishPacketSize(
      { topic: entry.topic, payloadBytes: entry.payload.length, qos: entry.qos, userProperties },
      this.#version,
    );
  }

  /** Re-evaluates waitIdle() conditions (the connection state changed). */
  recheck(): void {
    this.#notify();
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  async #drain(): Promise<void> {
    if (this.#draining) {
      this.#again = true;
      return;
    }
    this.#draining = true;
    try {
      do {
        this.#again = false;
        while (this.#client && this.#inflight.size < this.#window) {
          if (this.#next >= this.#buffer.length) {
            const epoch = this.#epoch;
            const batch = await this.#outbox.peek(this.#readSeq, READ_AHEAD);
            if (epoch !== this.#epoch) {
              this.#again = true;
              break;
            }
            const last = batch.at(-1);
            if (!last) break;
            this.#buffer = batch;
            this.#next = 0;
            this.#readSeq = last.seq;
          }
          this.#send(this.#buffer[this.#next++] as OutboxEntry);
        }
      } while (this.#again);
    } catch (err) {
      this.#log.error({ err }, 'cannot read the outbox: sending paused until the next publish or connection');
    } finally {
      this.#draining = false;
    }
    this.#notify();
  }

  #send(entry: OutboxEntry): void {
    const client = this.#client;
    if (!client || this.#receipts.holds(entry.seq)) return;
    const size = this.#packetSize(entry);
    if (size > this.#maxPacketBytes) {
      this.counters.tooLarge++;
      this.#park(
        entry,
        `a ${size}-byte packet is larger than the broker's maximum packet size of ${this.#maxPacketBytes} bytes`,
      );
      return;
    }
    const epoch = this.#epoch;
    this.#inflight.set(entry.seq, entry);
    if (entry.seq > this.#maxSent) this.#maxSent = entry.seq;
    this.counters.transmitted++;
    const options: IClientPublishOptions = { qos: entry.qos, retain: entry.retain };
    if (this.#version === 5) {
      options.properties = { userProperties: { ...entry.userProperties, [MESSAGE_ID_PROPERTY]: entry.id } };
    }
    client.publish(entry.topic, entry.payload, options, (err) => this.#settle(entry, epoch, err));
  }

  #settle(entry: OutboxEntry, epoch: number, err: Error | undefined): void {
    if (epoch !== this.#epoch) return; // that connection is gone: the message is resent from the outbox
    this.#inflight.delete(entry.seq);
    const code = (err as { code?: unknown } | undefined)?.code;
    if (!err) {
      if (this.#receiptedInFlight.delete(entry.seq)) this.#remove(entry.seq, entry.id);
      else if (this.#receipts.keeps(entry)) this.#receipts.hold(entry);
      else this.#remove(entry.seq, entry.id);
    } else if (typeof code === 'number') {
      const reason = reasonCodeText('puback', code, this.#version);
      if (isTransientPuback(code)) {
        this.counters.deferred++;
        this.#log.warn(
          { id: entry.id, topic: entry.topic, reasonCode: code, reason },
          'broker refused the message for now: kept in the outbox, sent again on the next connection',
        );
      } else {
        this.counters.rejected++;
        this.#park(entry, `the broker refused it: ${reason}`);
      }
    } else {
      this.#log.debug({ id: entry.id, err }, 'publish not acknowledged: kept in the outbox');
    }
    this.kick();
  }

  /** Moves a message the broker can never take out of the queue (logged, counted by the caller). */
  #park(entry: OutboxEntry, reason: string): void {
    this.#log.error(
      { id: entry.id, topic: entry.topic, bytes: entry.payload.length, reason },
      `message parked (moved out of the outbox queue, kept aside): ${reason}`,
    );
    this.#outbox.park(entry.seq, reason).then(
      () => this.#notify(),
      (err: unknown) => this.#log.error({ err, id: entry.id }, 'cannot park a message in the outbox'),
    );
  }

  #remove(seq: number, id?: string): void {
    this.#outbox.ack(seq).then(
      () => this.#notify(),
      (err: unknown) =>
        this.#log.error({ err, id: id ?? seq }, 'cannot remove a sent message from the outbox'),
    );
  }
}
