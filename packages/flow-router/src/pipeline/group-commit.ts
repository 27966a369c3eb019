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

  constructor(options: GroupCommitOptions) {
    this.#o = options;
  }

  /** Messages waiting for the next batch. */
  get pending(): number {
    return this.#queue.length;
  }

  /** Messages in the transaction being committed. */
  get inFlight(): number {
    return this.#inFlight;
  }

  submit(items: readonly WorkItem[]): Promise<ItemOutcome[]> {
    if (this.#closed) return Promise.reject(new RouterError('ROUTER_ERR_STATE', 'the router is stopping'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ items, enqueuedAt: performance.now(), resolve, reject });
      this.#schedule();
    });
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
      for (const p of rest) p.reject(new RouterError('ROUTER_ERR_STATE', 'the router stopped before commit'));
      await drained;
    }
  }

  #schedule(now = false): void {
    if (this.#active.size >= (this.#o.concurrency ?? 1) || this.#queue.length === 0) return;
    const oldest = this.#queue[0] as Pending;
    const wait =
      now || this.#closed || this.#queue.length >= this.#o.maxMessages
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
      if (this.#queue.length >= this.#o.maxMessages) this.#schedule();
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#schedule();
      }, wait);
    }
  }

  async #flush(): Promise<void> {
    const batch = this.#queue.splice(0, this.#o.maxMessages);
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
        { err: err.cause, topic: items[0]?.topic },
        'message cannot be stored; dead-lettered',
      );
      const dead = items.map((i) =>
        i.action.kind === 'dead' ? i : asDeadLetter(i, { code: 'ROUTER_ERR_STORE', reason, jsonPath: null }),
      );
      return [await this.#commitWithRetry(dead, false)];
    }
  }

  async #commitWithRetry(items: readonly WorkItem[], mayBePoison: boolean): Promise<ItemOutcome[]> {
    let attempt = 0;
    let failedWhileUp = 0;
    let conflicts = 0;
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
        const up = await this.#o.ping().catch(() => false);
        if (up && (!isTransientDbError(err) || conflicts >= MAX_CONFLICTS_IN_A_ROW)) {
          failedWhileUp++;
          if (failedWhileUp >= 2 && mayBePoison) throw new PoisonBatch('batch keeps failing', { cause: err });
          if (failedWhileUp >= 2) this.#o.log.error({ err }, 'dead letters cannot be stored; retrying');
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
