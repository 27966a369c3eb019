import type { OutboxEntry } from './outbox.js';

/**
 * The most recently appended outbox entries, kept in memory so that the pump reads what was just
 * written without a round trip through SQLite. Slot i holds seq `from + i` (appends within one process
 * get consecutive seqs); a removed entry leaves a hole. Bounded: the oldest slots fall out first, and
 * whatever is not held here is read from the database. Trimming is done in chunks (amortised O(1)).
 */
export class RecentEntries {
  #slots: (OutboxEntry | null)[] = [];
  /** seq of slot 0. */
  #from = 0;
  /** Slots before this index are holes. */
  #head = 0;
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Forgets everything (after a rollback, seqs may be reused). */
  clear(): void {
    this.#slots = [];
    this.#head = 0;
  }

  add(entry: OutboxEntry): void {
    if (this.#slots.length > 0 && entry.seq !== this.#from + this.#slots.length) this.clear();
    if (this.#slots.length === 0) this.#from = entry.seq;
    this.#slots.push(entry);
    const live = this.#slots.length - this.#head;
    if (live > this.#capacity + (this.#capacity >> 2)) this.#head = this.#slots.length - this.#capacity;
    this.#compact();
  }

  remove(seq: number): void {
    const i = seq - this.#from;
    if (i < this.#head || i >= this.#slots.length) return;
    this.#slots[i] = null;
    while (this.#head < this.#slots.length && this.#slots[this.#head] === null) this.#head++;
    this.#compact();
  }

  /**
   * The entries with `afterSeq < seq <= maxSeq`, up to `limit`, or null when rows in that range may
   * exist that are not held here (the caller then reads the database).
   */
  after(afterSeq: number, maxSeq: number, limit: number): OutboxEntry[] | null {
    if (this.#slots.length === 0 || afterSeq + 1 < this.#from + this.#head) return null;
    const out: OutboxEntry[] = [];
    for (let i = afterSeq + 1 - this.#from; i < this.#slots.length && out.length < limit; i++) {
      const entry = this.#slots[i];
      if (entry === undefined || entry === null) continue;
      if (entry.seq > maxSeq) break;
      out.push(entry);
    }
    return out;
  }

  #compact(): void {
    if (this.#head === this.#slots.length) {
      this.#from += this.#head;
      this.#slots = [];
      this.#head = 0;
    } else if (this.#head >= 1_024) {
      this.#slots.splice(0, this.#head);
      this.#from += this.#head;
      this.#head = 0;
    }
  }
}
