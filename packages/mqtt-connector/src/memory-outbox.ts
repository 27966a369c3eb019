import { randomUUID } from 'node:crypto';
import {
  type AppendResult,
  appendProblem,
  closedError,
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
  readonly #entries = new Map<number, OutboxEntry & { size: number }>();
  #seq = 0;
  #bytes = 0;
  #closed = false;
  readonly #counters = { appended: 0, sent: 0, dropped: 0, droppedBytes: 0 };

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
    let dropped = 0;
    while (mustDropOldest(this.#entries.size, this.#bytes, size, this.#limits)) {
      const oldest = this.#entries.values().next().value as OutboxEntry & { size: number };
      this.#remove(oldest.seq);
      this.#counters.dropped++;
      this.#counters.droppedBytes += oldest.size;
      dropped++;
    }
    const seq = ++this.#seq;
    const entry = { ...outboxEntry(this.id, seq, message, this.#now()), size };
    this.#entries.set(seq, entry);
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

  stats(): OutboxStats {
    const oldest = this.#entries.values().next().value;
    return {
      depth: this.#entries.size,
      bytes: this.#bytes,
      oldestAgeMs: oldest ? Math.max(0, this.#now() - oldest.enqueuedAt) : 0,
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
    this.#bytes -= entry.size;
    return true;
  }
}

function publicEntry(entry: OutboxEntry & { size: number }): OutboxEntry {
  const { size: _size, ...rest } = entry;
  return rest;
}
