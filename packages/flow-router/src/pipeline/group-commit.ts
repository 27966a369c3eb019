import type { Logger } from '@iotgw/logger';
import { errorText, isTransientDbError, isWriteConflict } from '../db/db-errors.js';
import { RouterError } from '../router-error.js';
import { asDeadLetter, type ItemOutcome, type WorkItem } from './work-item.js';

export interface GroupCommitOptions {
  /** Commits items in one transaction (the batch writer). */
  write(items: readonly WorkItem[]): Promise<ItemOutcome[]>;
  /** Whether the database answers at all: tells an outage from a bad batch. */
  ping(): Promise<boolean>;
  readonly maxMessages: number;
  /**
   * Most SQL bytes in one batch (itemBytes estimates, summed): below the database's packet limit. A
   * batch always takes at least one message (the router makes every message fit: fitMessage).
   */
  readonly maxBytes?: number;
  readonly lingerMs: number;
  /**
   * Transactions in flight at once (default 1). With 2 on MySQL the next batch is already waiting on
   * the flow lock while the current one commits, which hides a few round trips per batch.
   */
  readonly concurrency?: number;
  readonly log: Logger;
  onCommitted?(messages: number, latencyMs: number): void;
  /** A batch lost a race with a concurrent commit (another Galera node) and is planned again. */
  onConflict?(): void;
  /** Backoff while the database is unreachable. */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
}

interface Pending {
  readonly items: readonly WorkItem[];
  readonly bytes: number;
  readonly enqueuedAt: number;
  resolve(outcomes: ItemOutcome[]): void;
  reject(err: unknown): void;
}

/** Raised inside the committer when a batch fails repeatedly while the database answers. */
class PoisonBatch extends Error {}

/**
 * Conflicts in a row after which a batch is treated like any batch that keeps failing: a lost race
 * resolves on the next try or two; hundreds in a row mean the data itself collides.
 */
const MAX_CONFLICTS_IN_A_ROW = 200;

/** A batch that has failed at least once and not committed yet: which flows wait, since when, why. */
export interface CommitStall {
  readonly since: number;
  readonly flows: readonly string[];
  readonly error: string;
  readonly attempts: number;
}

/**
 * Connection losses on a database that answers pings: after this many in a row the batch is split.
 * More than the pool's connections (8): when a Galera node dies, every pooled connection to it fails
 * once while pings already reach the next node of the failover list.
 */
const LOST_WHILE_UP_LIMIT = 10;

function isConnectionLoss(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'PROTOCOL_CONNECTION_LOST' ||
    (err instanceof Error && /read ECONNRESET|connection lost/i.test(err.message))
  );
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Group commit: messages from every connection wait together and are committed in one transaction,
 * when `maxMessages` are waiting or the oldest has waited `lingerMs`; one transaction at a time, the
 * next batch gathering while the current one commits. A submitted message's promise resolves only
 * after its transaction committed (that is when the transport may PUBACK).
 *
 * Failures: while the database does not answer, the batch is retried with backoff for as long as it
 * takes (nothing is acknowledged, nothing lost). A batch that keeps failing while the database answers
 * is split in halves until the one bad message is found; that message goes to the dead letters.
 */
export class GroupCommitter {
  readonly #o: GroupCommitOptions;
  #queue: Pending[] = [];
  readonly #active = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #inFlight = 0;
  #closed = false;
  readonly #abort = new AbortController();
  #outage = false;
  #queuedBytes = 0;
  #maxBytes: number | undefined;
  readonly #stalls = new Map<object, CommitStall>();

  constructor(options: GroupCommitOptions) {
    this.#o = options;
    this.#maxBytes = options.maxBytes;
  }

  /** Changes the byte bound of a batch (the router learns the database's packet limit at start). */
  setMaxBytes(bytes: number): void {
    this.#maxBytes = bytes;
  }

  /** Messages waiting for the next batch. */
  get pending(): number {
    return this.#queue.length;
  }

  /** Messages in the transaction being committed. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Estimated SQL bytes of the messages waiting. */
  get pendingBytes(): number {
    return this.#queuedBytes;
  }

  /** The oldest batch that keeps failing to commit, or null when every batch commits. */
  get stall(): CommitStall | null {
    let oldest: CommitStall | null = null;
    for (const s of this.#stalls.values()) if (oldest === null || s.since < oldest.since) oldest = s;
    return oldest;
  }

  /** `bytes`: the items' estimated SQL size (itemBytes), 0 when unknown. */
  submit(items: readonly WorkItem[], bytes = 0): Promise<ItemOutcome[]> {
    if (this.#closed) return Promise.reject(new RouterError('ROUTER_ERR_STATE', 'the router is stopping'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ items, bytes, enqueuedAt: performance.now(), resolve, reject });
      this.#queuedBytes += bytes;
      this.#schedule();
    });
  }

  /** Whether the waiting messages fill a batch (by count or by bytes). */
  #full(): boolean {
    return (
      this.#queue.length >= this.#o.maxMessages ||
      (this.#maxBytes !== undefined && this.#queuedBytes >= this.#maxBytes)
    );
  }

  /** The next batch: up to maxMessages messages and maxBytes bytes, at least one message. */
  #take(): Pending[] {
    const max = this.#maxBytes ?? Number.POSITIVE_INFINITY;
    let n = 0;
    let bytes = 0;
    while (n < this.#queue.length && n < this.#o.maxMessages) {
      const next = (this.#queue[n] as Pending).bytes;
      if (n > 0 && bytes + next > max) break;
      bytes += next;
      n++;
    }
    this.#queuedBytes -= bytes;
    return this.#queue.splice(0, n);
  }

  /**
   * Takes no more messages and commits what is waiting. After `graceMs` (database still down), the
   * rest is rejected: not acknowledged, so the broker delivers it again later.
   */
  async close(graceMs: number): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#schedule(true);
    const drained = (async () => {
      while (this.#active.size > 0) await Promise.all([...this.#active]);
    })();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const result = await Promise.race([drained, timedOut]);
    clearTimeout(timer);
    if (result === 'timeout') {
      this.#abort.abort();
      const rest = this.#queue.splice(0);
      this.#queuedBytes = 0;
      for (const p of rest) p.reject(new RouterError('ROUTER_ERR_STATE', 'the router stopped before commit'));
      await drained;
    }
  }

  #schedule(now = false): void {
    if (this.#active.size >= (this.#o.concurrency ?? 1) || this.#queue.length === 0) return;
    const oldest = this.#queue[0] as Pending;
    const wait =
      now || this.#closed || this.#full()
        ? 0
        : Math.max(0, oldest.enqueuedAt + this.#o.lingerMs - performance.now());
    if (wait <= 0) {
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = undefined;
      const flush: Promise<void> = this.#flush().finally(() => {
        this.#active.delete(flush);
        this.#schedule();
      });
      this.#active.add(flush);
      // A second transaction may start at once only with a full batch; otherwise let more gather.
      if (this.#full()) this.#schedule();
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#schedule();
      }, wait);
    }
  }

  async #flush(): Promise<void> {
    const batch = this.#take();
    this.#inFlight += batch.length;
    const started = performance.now();
    try {
      const results = await this.#commitMessages(batch);
      this.#o.onCommitted?.(batch.length, performance.now() - started);
      batch.forEach((p, i) => {
        p.resolve(results[i] ?? []);
      });
    } catch (err) {
      for (const p of batch) p.reject(err);
    } finally {
      this.#inFlight -= batch.length;
    }
  }

  async #commitMessages(messages: readonly Pending[]): Promise<ItemOutcome[][]> {
    const items = messages.flatMap((m) => m.items);
    try {
      const outcomes = await this.#commitWithRetry(items, true);
      const out: ItemOutcome[][] = [];
      let at = 0;
      for (const m of messages) {
        out.push(outcomes.slice(at, at + m.items.length));
        at += m.items.length;
      }
      return out;
    } catch (err) {
      if (!(err instanceof PoisonBatch)) throw err;
      if (messages.length > 1) {
        const half = Math.ceil(messages.length / 2);
        return [
          ...(await this.#commitMessages(messages.slice(0, half))),
          ...(await this.#commitMessages(messages.slice(half))),
        ];
      }
      const reason = `cannot be stored: ${errorText(err.cause)}`;
      this.#o.log.error(
        { err: errorText(err.cause), topic: items[0]?.topic },
        'message cannot be stored; dead-lettered',
      );
      const dead = items.map((i) =>
        i.action.kind === 'dead' ? i : asDeadLetter(i, { code: 'ROUTER_ERR_STORE', reason, jsonPath: null }),
      );
      return [await this.#commitWithRetry(dead, false)];
    }
  }

  async #commitWithRetry(items: readonly WorkItem[], mayBePoison: boolean): Promise<ItemOutcome[]> {
    const token = {};
    try {
      return await this.#retrying(items, mayBePoison, token);
    } finally {
      this.#stalls.delete(token);
    }
  }

  async #retrying(items: readonly WorkItem[], mayBePoison: boolean, token: object): Promise<ItemOutcome[]> {
    let attempt = 0;
    let failedWhileUp = 0;
    let conflicts = 0;
    let lostWhileUp = 0;
    const since = Date.now();
    for (;;) {
      if (this.#abort.signal.aborted)
        throw new RouterError('ROUTER_ERR_STATE', 'the router stopped before commit');
      try {
        const outcomes = await this.#o.write(items);
        if (this.#outage) {
          this.#outage = false;
          this.#o.log.info({ attempts: attempt + 1 }, 'database is back; batches commit again');
        }
        return outcomes;
      } catch (err) {
        if (isWriteConflict(err) && conflicts < MAX_CONFLICTS_IN_A_ROW) {
          // Lost a race with another node's commit: nothing was stored, plan again at once (with a
          // little jitter so two replicas do not collide in step again).
          conflicts++;
          this.#o.onConflict?.();
          await sleep(Math.random() * Math.min(100, 5 * conflicts), this.#abort.signal);
          continue;
        }
        attempt++;
        this.#stalls.set(token, {
          since,
          flows: [...new Set(items.map((i) => i.flowCode))].slice(0, 20),
          error: errorText(err),
          attempts: attempt,
        });
        const up = await this.#o.ping().catch(() => false);
        // A connection the server drops while it answers pings (e.g. a packet over max_allowed_packet)
        // is the batch's fault, not an outage: after a few in a row it is split like a bad batch.
        lostWhileUp = up && isConnectionLoss(err) ? lostWhileUp + 1 : 0;
        if (lostWhileUp >= LOST_WHILE_UP_LIMIT && mayBePoison) {
          throw new PoisonBatch('batch keeps losing its connection', { cause: err });
        }
        if (up && (!isTransientDbError(err) || conflicts >= MAX_CONFLICTS_IN_A_ROW)) {
          failedWhileUp++;
          if (failedWhileUp >= 2 && mayBePoison) throw new PoisonBatch('batch keeps failing', { cause: err });
          if (failedWhileUp >= 2)
            this.#o.log.error({ err: errorText(err) }, 'dead letters cannot be stored; retrying');
        }
        if (!up && !this.#outage) {
          this.#outage = true;
          this.#o.log.warn(
            { err: errorText(err) },
            'database unreachable; holding messages (not acknowledged) and retrying',
          );
        }
        const cap = this.#o.retryMaxMs ?? 2_000;
        const delay = Math.min(cap, (this.#o.retryBaseMs ?? 50) * 2 ** Math.min(attempt - 1, 16));
        await sleep(delay * (0.5 + Math.random() / 2), this.#abort.signal);
      }
    }
  }
}
