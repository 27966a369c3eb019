import type { Logger } from '@iotgw/logger';
import type { Outbox } from './outbox.js';

/**
 * Says at warn, with totals, that a full outbox dropped its oldest messages: at once for the first drop,
 * then at most every `intervalMs` (a full outbox drops on every publish; one line each would flood).
 */
export class DropReporter {
  readonly #log: Logger;
  readonly #outbox: Outbox;
  readonly #intervalMs: number;
  #lastLogAt: number | null = null;
  #unlogged = 0;

  constructor(log: Logger, outbox: Outbox, intervalMs = 10_000) {
    this.#log = log;
    this.#outbox = outbox;
    this.#intervalMs = intervalMs;
  }

  report(dropped: number): void {
    this.#unlogged += dropped;
    const now = Date.now();
    if (this.#lastLogAt !== null && now - this.#lastLogAt < this.#intervalMs) return;
    const stats = this.#outbox.stats();
    this.#log.warn(
      {
        dropped: this.#unlogged,
        droppedTotal: stats.dropped,
        droppedBytesTotal: stats.droppedBytes,
        depth: stats.depth,
        bytes: stats.bytes,
      },
      `outbox full: dropped the ${this.#unlogged} oldest message(s) (${stats.dropped} since start)`,
    );
    this.#lastLogAt = now;
    this.#unlogged = 0;
  }
}
