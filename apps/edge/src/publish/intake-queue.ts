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

/**
 * The bounded stage between the radios and the durable outbox. A reading is handed to the outbox at
 * once, in arrival order: its append joins the outbox's open group commit (one fsync for all readings
 * of a window) instead of waiting for the previous reading's commit. Readings whose commit has not
 * happened yet are what a SIGKILL can lose: at most one group-commit window, and never more than
 * `maxQueued`. When `maxQueued` readings wait for their commit (the disk cannot keep up), a new reading
 * is refused and counted as `dropped_overload`: the policy is "drop newest", so what already waits
 * keeps its order. A reading counts as accepted (`queued`) only once its append resolved, i.e. it is
 * durable in the outbox.
 */
export class IntakeQueue {
  readonly counters: IntakeCounters = { queued: 0, dropped_overload: 0, failed: 0 };
  readonly #max: number;
  readonly #log: Logger;
  #pending = 0;
  #idle: (() => void)[] = [];
  #lastOverloadLog = 0;

  constructor(options: { maxQueued: number; logger: Logger }) {
    this.#max = options.maxQueued;
    this.#log = options.logger;
  }

  /** Readings handed to the outbox and not yet durable there. */
  get pending(): number {
    return this.#pending;
  }

  /** Hands a reading to the outbox now; false (counted, logged at most every 10 s) when full. */
  push(task: IntakeTask): boolean {
    if (this.#pending >= this.#max) {
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
    this.#pending++;
    // The task appends synchronously before its first await: started in order, stored in order.
    let started: Promise<boolean | undefined>;
    try {
      started = task();
    } catch (err) {
      started = Promise.reject(err);
    }
    started.then(
      (stored) => {
        if (stored === true) this.counters.queued++;
        this.#settled();
      },
      (err: unknown) => {
        this.counters.failed++;
        if (this.counters.failed === 1 || this.counters.failed % 1_000 === 0)
          this.#log.error(
            { err, failed: this.counters.failed },
            'a reading could not be stored in the outbox',
          );
        this.#settled();
      },
    );
    return true;
  }

  /** Resolves once every reading handed over so far is settled (durable, or failed). */
  drained(): Promise<void> {
    if (this.#pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #settled(): void {
    this.#pending--;
    if (this.#pending > 0) return;
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
