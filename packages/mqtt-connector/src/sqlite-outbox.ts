import type { DatabaseSync } from 'node:sqlite';
import { ConnectorError } from './connector-error.js';
import {
  type AppendResult,
  appendProblem,
  closedError,
  formatMessageId,
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
import { type OutboxDatabase, openOutboxDatabase, storageError } from './outbox-database.js';
import { RecentEntries } from './recent-entries.js';

/**
 * When an append is durable. `always`: every message is its own transaction, fsynced before append()
 * resolves. `{ groupCommitMs }`: appends join one transaction committed (and fsynced) every N ms, and
 * each append resolves when its group is committed. Both survive `kill -9` and power loss for every
 * append that resolved; group commit trades up to N ms of publish() latency for one fsync per group.
 */
export type FsyncPolicy = 'always' | { groupCommitMs: number };

/** Default: group commit every 10 ms (see docs/mqtt-connector.md, "fsync policy"). */
export const DEFAULT_FSYNC: FsyncPolicy = Object.freeze({ groupCommitMs: 10 });

export interface SqliteOutboxOptions extends OutboxLimits {
  /** The database file (its folder is created). One process at a time: a second opener gets OUTBOX_ERR_LOCKED. */
  path: string;
  fsync?: FsyncPolicy;
  now?: () => number;
}

interface Removed {
  seq: number;
  size: number;
  user_properties: string | null;
}

interface Row {
  seq: number;
  topic: string;
  payload: Uint8Array;
  qos: number;
  retain: number;
  user_properties: string | null;
  enqueued_at: number;
}

/**
 * Removals are committed at most this late when no append commits them sooner: a removal lost in a
 * crash only means the message is sent once more, and committing removals separately would cost an
 * fsync each time.
 */
const REMOVAL_COMMIT_MS = 1_000;
/** Removals applied in one statement at most. */
const ACK_BATCH = 1_000;

/**
 * The durable outbox on Node's own `node:sqlite`: WAL journal, `synchronous=FULL`, exclusive locking
 * (one process per file), AUTOINCREMENT sequence so a message id is never reused.
 */
export class SqliteOutbox implements Outbox {
  readonly id: string;
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #sql: OutboxDatabase;
  readonly #limits: ResolvedLimits;
  readonly #fsync: FsyncPolicy;
  readonly #now: () => number;
  #inTransaction = false;
  #timer: NodeJS.Timeout | undefined;
  #deadline = 0;
  #pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  #acked: number[] = [];
  /** What was just appended, so that the pump rarely has to read it back from the database. */
  readonly #recent = new RecentEntries(8_192);
  /** Highest seq whose transaction is committed: peek never hands out a message that is not durable. */
  #committedSeq = 0;
  #uncommittedSeq = 0;
  #depth = 0;
  #bytes = 0;
  #closed = false;
  readonly #counters = { appended: 0, sent: 0, dropped: 0, droppedBytes: 0, replaced: 0, parked: 0 };

  constructor(options: SqliteOutboxOptions) {
    this.#limits = resolveLimits(options);
    this.#fsync = options.fsync ?? DEFAULT_FSYNC;
    if (this.#fsync !== 'always') {
      const ms = this.#fsync.groupCommitMs;
      if (!Number.isFinite(ms) || ms < 0) {
        throw new ConnectorError(
          'MQTT_ERR_OPTIONS',
          `outbox fsync.groupCommitMs must be a number >= 0 (got ${ms})`,
        );
      }
    }
    this.#now = options.now ?? Date.now;
    this.path = options.path;
    const opened = openOutboxDatabase(options.path);
    this.#db = opened.db;
    this.id = opened.id;
    this.#sql = opened;
    this.#depth = opened.depth;
    this.#bytes = opened.bytes;
    this.#committedSeq = opened.lastSeq;
    this.#uncommittedSeq = opened.lastSeq;
  }

  get depth(): number {
    this.#applyAcks();
    return this.#depth;
  }

  append(message: OutboxMessage): Promise<AppendResult> {
    const size = messageSize(message);
    const problem = appendProblem(this.#closed, size, this.#limits);
    if (problem) return Promise.reject(problem);
    let result: AppendResult;
    try {
      this.#begin();
      this.#applyAcks();
      if (message.replaceKey !== undefined) {
        const removed = this.#sql.deleteKey.all(message.replaceKey) as unknown as Removed[];
        for (const r of removed) {
          this.#recent.remove(r.seq);
          this.#depth--;
          this.#bytes -= r.size;
          this.#counters.replaced++;
        }
        message = withReplaces(
          message,
          removed.map((r) => ({
            seq: r.seq,
            userProperties: r.user_properties
              ? (JSON.parse(r.user_properties) as Record<string, string>)
              : {},
          })),
        );
      }
      let dropped = 0;
      while (mustDropOldest(this.#depth, this.#bytes, size, this.#limits)) {
        const oldest = this.#sql.oldest.get() as { seq: number; size: number } | undefined;
        if (!oldest) break;
        this.#sql.deleteSeq.get(oldest.seq);
        this.#recent.remove(oldest.seq);
        this.#depth--;
        this.#bytes -= oldest.size;
        this.#counters.dropped++;
        this.#counters.droppedBytes += oldest.size;
        dropped++;
      }
      const enqueuedAt = this.#now();
      const props = Object.keys(message.userProperties).length
        ? JSON.stringify(message.userProperties)
        : null;
      const info = this.#sql.insert.run(
        message.topic,
        message.payload,
        message.qos,
        message.retain ? 1 : 0,
        props,
        enqueuedAt,
        size,
        message.replaceKey ?? null,
      );
      const seq = Number(info.lastInsertRowid);
      this.#uncommittedSeq = seq;
      this.#depth++;
      this.#bytes += size;
      this.#counters.appended++;
      result = {
        entry: outboxEntry(this.id, seq, message, enqueuedAt),
        dropped,
      };
      this.#recent.add(result.entry);
    } catch (cause) {
      const error = storageError(`cannot append to outbox ${this.path}`, cause);
      this.#rollback(error);
      return Promise.reject(error);
    }
    if (this.#fsync === 'always') {
      const error = this.#commit();
      return error ? Promise.reject(error) : Promise.resolve(result);
    }
    const ms = this.#fsync.groupCommitMs;
    return new Promise<AppendResult>((resolve, reject) => {
      this.#pending.push({ resolve: () => resolve(result), reject });
      this.#schedule(ms);
    });
  }

  async peek(afterSeq: number, limit: number): Promise<OutboxEntry[]> {
    if (this.#closed) throw closedError();
    if (limit <= 0) return [];
    const recent = this.#recent.after(afterSeq, this.#committedSeq, limit);
    if (recent) return recent;
    this.#applyAcks();
    const rows = this.#sql.peek.all(afterSeq, this.#committedSeq, limit) as unknown as Row[];
    return rows.map((r) => ({
      topic: r.topic,
      payload: Buffer.from(r.payload.buffer, r.payload.byteOffset, r.payload.byteLength),
      qos: r.qos === 0 ? 0 : 1,
      retain: r.retain === 1,
      userProperties: r.user_properties ? (JSON.parse(r.user_properties) as Record<string, string>) : {},
      id: formatMessageId(this.id, r.seq),
      seq: r.seq,
      enqueuedAt: r.enqueued_at,
    }));
  }

  async ack(seq: number): Promise<void> {
    if (this.#closed) throw closedError();
    // Removals are batched: one DELETE per batch, applied before anything that reads the table.
    this.#acked.push(seq);
    this.#recent.remove(seq);
    if (this.#acked.length >= ACK_BATCH) this.#applyAcks();
    this.#schedule(REMOVAL_COMMIT_MS);
  }

  /** Runs the batched removals in the open transaction. */
  #applyAcks(): void {
    if (this.#acked.length === 0 || this.#closed) return;
    const seqs = this.#acked.sort((a, b) => a - b);
    this.#acked = [];
    try {
      this.#begin();
      // Acknowledgements arrive mostly in order: one ranged DELETE per run of consecutive seqs.
      for (let i = 0; i < seqs.length; ) {
        const first = seqs[i] as number;
        let last = first;
        while (i + 1 < seqs.length && (seqs[i + 1] as number) <= last + 1) last = seqs[++i] as number;
        i++;
        const removed = this.#sql.deleteRange.all(first, last) as unknown as { size: number }[];
        for (const r of removed) {
          this.#depth--;
          this.#bytes -= r.size;
          this.#counters.sent++;
        }
      }
    } catch (cause) {
      // A lost removal only means the message is sent once more.
      this.#rollback(storageError(`cannot remove sent messages from outbox ${this.path}`, cause));
    }
  }

  async park(seq: number, reason: string): Promise<void> {
    if (this.#closed) throw closedError();
    try {
      this.#begin();
      this.#applyAcks();
      this.#sql.parkCopy.run(reason, this.#now(), seq);
      const removed = this.#sql.deleteSeq.all(seq) as unknown as { size: number }[];
      this.#recent.remove(seq);
      for (const r of removed) {
        this.#depth--;
        this.#bytes -= r.size;
        this.#counters.parked++;
      }
      for (;;) {
        const t = this.#sql.parkedTotals.get() as { n: number; bytes: number };
        if (t.n <= MAX_PARKED_MESSAGES && (t.n <= 1 || t.bytes <= MAX_PARKED_BYTES)) break;
        this.#sql.deleteOldestParked.run();
      }
    } catch (cause) {
      this.#rollback(storageError(`cannot park a message in outbox ${this.path}`, cause));
      return;
    }
    this.#schedule(REMOVAL_COMMIT_MS);
  }

  stats(): OutboxStats {
    this.#applyAcks();
    let oldestAgeMs = 0;
    let headSeq = 0;
    if (!this.#closed && this.#depth > 0) {
      const oldest = this.#sql.oldest.get() as { seq: number; enqueued_at: number } | undefined;
      if (oldest) {
        oldestAgeMs = Math.max(0, this.#now() - oldest.enqueued_at);
        headSeq = oldest.seq;
      }
    }
    return { depth: this.#depth, bytes: this.#bytes, oldestAgeMs, headSeq, ...this.#counters };
  }

  async flush(): Promise<void> {
    if (this.#closed) return;
    const error = this.#commit();
    if (error) throw error;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    const error = this.#commit();
    this.#closed = true;
    this.#db.close();
    if (error) throw error;
  }

  #begin(): void {
    if (this.#inTransaction) return;
    this.#db.exec('BEGIN');
    this.#inTransaction = true;
  }

  /** Commits within `ms` (an earlier deadline already set is kept). */
  #schedule(ms: number): void {
    const deadline = Date.now() + ms;
    if (this.#timer && this.#deadline <= deadline) {
      if (this.#pending.length > 0) this.#timer.ref();
      return;
    }
    clearTimeout(this.#timer);
    this.#deadline = deadline;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#commit();
    }, ms);
    // Waiting appends keep the process alive until they are durable; removals alone do not.
    if (this.#pending.length === 0) this.#timer.unref();
  }

  /** Commits the open transaction and settles the appends waiting for it; returns the error, if any. */
  #commit(): ConnectorError | null {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#applyAcks();
    if (!this.#inTransaction) return null;
    const pending = this.#pending;
    this.#pending = [];
    try {
      this.#db.exec('COMMIT');
    } catch (cause) {
      const error = storageError(`cannot commit outbox ${this.path}`, cause);
      this.#rollback(error, pending);
      return error;
    }
    this.#inTransaction = false;
    this.#committedSeq = this.#uncommittedSeq;
    for (const p of pending) p.resolve();
    return null;
  }

  /** Abandons the open transaction: its appends fail, its removals will be redone by resends. */
  #rollback(error: ConnectorError, pending = this.#pending): void {
    this.#pending = [];
    this.#recent.clear();
    if (this.#inTransaction) {
      try {
        this.#db.exec('ROLLBACK');
      } catch {
        // The transaction may already be gone (SQLite rolls back by itself on some I/O errors).
      }
      this.#inTransaction = false;
    }
    try {
      const totals = this.#sql.totals.get() as { n: number; bytes: number; last: number };
      this.#depth = totals.n;
      this.#bytes = totals.bytes;
      this.#committedSeq = totals.last;
      this.#uncommittedSeq = totals.last;
    } catch {
      // Counters stay approximate until the storage recovers.
    }
    for (const p of pending) p.reject(error);
  }
}
