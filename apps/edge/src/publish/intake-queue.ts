import type { Logger } from '@iotgw/logger';

/** What a reading task reports: true = in the outbox, false = not published (counted elsewhere). */
export type IntakeTask = () => Promise<boolean | undefined>;

export interface IntakeCounters {
  /** Readings durably in the outbox (counted when their append resolved). */
  queued: number;
  /** Readings refused because the queue in front of the outbox was full (newest refused). */
  dropped_overload: number;
  /** Readings whose publish failed (storage error, too large for the broker): logged. */
  failed: number;
}

/** Readings started together at most: they all join the outbox's current group commit. */
const MAX_BATCH = 1_000;

/**
 * The bounded queue between the radios and the durable outbox. Readings are started in arrival order
 * and in batches: each batch's appends happen synchronously in order and share the outbox's group
 * commit, instead of each waiting for the previous one's commit. When `maxQueued` readings wait (the
 * outbox cannot keep up), a new reading is refused and counted as `dropped_overload`: the policy is
 * "drop newest", so what is already queued keeps its order and nothing queued is lost to make room.
 * A reading counts as accepted (`queued`) only once its append resolved, i.e. it is in the outbox.
 */
export class IntakeQueue {
  readonly counters: IntakeCounters = { queued: 0, dropped_overload: 0, failed: 0 };
  readonly #max: number;
  readonly #log: Logger;
  #waiting: IntakeTask[] = [];
  #running = 0;
  #draining: Promise<void> | null = null;
  #lastOverloadLog = 0;

  constructor(options: { maxQueued: number; logger: Logger }) {
    this.#max = options.maxQueued;
    this.#log = options.logger;
  }

  /** Readings waiting or being appended. */
  get pending(): number {
    return this.#waiting.length + this.#running;
  }

  /** Queues a reading; false (counted, logged at most every 10 s) when the queue is full. */
  push(task: IntakeTask): boolean {
    if (this.pending >= this.#max) {
      this.counters.dropped_overload++;
      const now = Date.now();
      if (now - this.#lastOverloadLog >= 10_000) {
        this.#lastOverloadLog = now;
        this.#log.warn(
          { maxQueued: this.#max, droppedOverload: this.counters.dropped_overload },
          'readings arrive faster than the outbox stores them: newest readings dropped (intake.maxQueued)',
        );
      }
      return false;
    }
    this.#waiting.push(task);
    this.#draining ??= this.#drain();
    return true;
  }

  /** Resolves once every reading queued so far has been handled. */
  async drained(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  async #drain(): Promise<void> {
    // Let the current tick's readings join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.#waiting.length > 0) {
        const batch = this.#waiting.splice(0, MAX_BATCH);
        this.#running = batch.length;
        // Each task appends synchronously before its first await: started in order, stored in order.
        const results = await Promise.allSettled(batch.map((task) => task()));
        this.#running = 0;
        for (const r of results) {
          if (r.status === 'fulfilled') {
            if (r.value === true) this.counters.queued++;
          } else {
            this.counters.failed++;
            if (this.counters.failed === 1 || this.counters.failed % 1_000 === 0)
              this.#log.error(
                { err: r.reason, failed: this.counters.failed },
                'a reading could not be stored in the outbox',
              );
          }
        }
      }
    } finally {
      this.#draining = null;
    }
  }
}
