import { randomUUID } from 'node:crypto';
import {
  type AppendResult,
  appendProblem,
  closedError,
  MAX_PARKED_BYTES,
  MAX_PARKED_MESSAGES,
  messageSize,
  mustDropOldest,
  type Outbox,
  type OutboxEntry,
  type OutboxLimits,
  type OutboxMessage,
  type OutboxStats,
  outboxEntry,
  type ResolvedLimits,
  resolveLimits,
  withReplaces,
} from './outbox.js';

/**
 * An outbox in memory: same contract as SqliteOutbox except durability (a restart loses the backlog).
 * For tests and for deployments that accept that; the connector uses one when no outbox is given.
 */
export class MemoryOutbox implements Outbox {
  readonly id: string;
  readonly #limits: ResolvedLimits;
  readonly #now: () => number;
  /** Insertion order is seq order. */
  readonly #entries = new Map<number, OutboxEntry & { size: number; replaceKey: string | undefined }>();
  /** Waiting message per replace key. */
  readonly #byKey = new Map<string, number>();
  readonly #parked: { entry: OutboxEntry; reason: string; size: number }[] = [];
  #parkedBytes = 0;
  #seq = 0;
  #bytes = 0;
  #closed = false;
  readonly #counters = { appended: 0, sent: 0, dropped: 0, droppedBytes: 0, replaced: 0, parked: 0 };

  constructor(options: OutboxLimits & { id?: string; now?: () => number } = {}) {
    this.#limits = resolveLimits(options);
    this.id = options.id ?? randomUUID();
    this.#now = options.now ?? Date.now;
  }

  get depth(): number {
    return this.#entries.size;
  }

  async append(message: OutboxMessage): Promise<AppendResult> {
    const size = messageSize(message);
    const problem = appendProblem(this.#closed, size, this.#limits);
    if (problem) throw problem;
    const key = message.replaceKey;
    const previousSeq = key === undefined ? undefined : this.#byKey.get(key);
    const previous = previousSeq === undefined ? undefined : this.#entries.get(previousSeq);
    if (previous && this.#remove(previous.seq)) {
      this.#counters.replaced++;
      message = withReplaces(message, [previous]);
    }
    let dropped = 0;
    while (mustDropOldest(this.#entries.size, this.#bytes, size, this.#limits)) {
      const oldest = this.#entries.values().next().value as OutboxEntry & { size: number };
      this.#remove(oldest.seq);
      this.#counters.dropped++;
      this.#counters.droppedBytes += oldest.size;
      dropped++;
    }
    const seq = ++this.#seq;
    const entry = { ...outboxEntry(this.id, seq, message, this.#now()), size, replaceKey: key };
    this.#entries.set(seq, entry);
    if (key !== undefined) this.#byKey.set(key, seq);
    this.#bytes += size;
    this.#counters.appended++;
    return { entry: publicEntry(entry), dropped };
  }

  async peek(afterSeq: number, limit: number): Promise<OutboxEntry[]> {
    if (this.#closed) throw closedError();
    const out: OutboxEntry[] = [];
    if (limit <= 0) return out;
    for (const entry of this.#entries.values()) {
      if (entry.seq <= afterSeq) continue;
      out.push(publicEntry(entry));
      if (out.length >= limit) break;
    }
    return out;
  }

  async ack(seq: number): Promise<void> {
    if (this.#closed) throw closedError();
    if (this.#remove(seq)) this.#counters.sent++;
  }

  async park(seq: number, reason: string): Promise<void> {
    if (this.#closed) throw closedError();
    const entry = this.#entries.get(seq);
    if (!entry || !this.#remove(seq)) return;
    this.#counters.parked++;
    this.#parked.push({ entry: publicEntry(entry), reason, size: entry.size });
    this.#parkedBytes += entry.size;
    while (
      this.#parked.length > MAX_PARKED_MESSAGES ||
      (this.#parked.length > 1 && this.#parkedBytes > MAX_PARKED_BYTES)
    )
      this.#parkedBytes -= this.#parked.shift()?.size ?? 0;
  }

  /** The parked messages kept, oldest first, with why they were parked. */
  parkedMessages(): { entry: OutboxEntry; reason: string }[] {
    return this.#parked.map(({ entry, reason }) => ({ entry, reason }));
  }

  stats(): OutboxStats {
    const oldest = this.#entries.values().next().value;
    return {
      depth: this.#entries.size,
      bytes: this.#bytes,
      oldestAgeMs: oldest ? Math.max(0, this.#now() - oldest.enqueuedAt) : 0,
      headSeq: oldest?.seq ?? 0,
      ...this.#counters,
    };
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.#closed = true;
  }

  #remove(seq: number): boolean {
    const entry = this.#entries.get(seq);
    if (!entry) return false;
    this.#entries.delete(seq);
    if (entry.replaceKey !== undefined && this.#byKey.get(entry.replaceKey) === seq)
      this.#byKey.delete(entry.replaceKey);
    this.#bytes -= entry.size;
    return true;
  }
}

function publicEntry(entry: OutboxEntry & { size: number; replaceKey?: string | undefined }): OutboxEntry {
  const { size: _size, replaceKey: _key, ...rest } = entry;
  return rest;
}
