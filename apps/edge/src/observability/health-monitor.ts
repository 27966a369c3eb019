/** What the monitor samples: the publishing connection and the outbox head. */
export interface HealthSample {
  connected: boolean;
  /** Messages waiting in the outbox. */
  depth: number;
  /** Seq of the oldest waiting message (0 when empty). */
  headSeq: number;
}

export interface HealthLimits {
  /** Not ok once the broker has been unreachable for longer than this (s). */
  maxBrokerDownS: number;
  /** Not ok once the outbox head has not moved for longer than this while messages wait (s). */
  maxOutboxStallS: number;
}

export interface HealthVerdict {
  status: 'ok' | 'not-ok';
  /** Why not ok, in words (empty when ok). */
  problems: string[];
}

/**
 * Whether the gateway is doing its job: an edge that has been cut off from its broker, or whose
 * outbox head stays put (a message the broker keeps refusing), is not ok even though it runs. Fed by
 * periodic samples; pure otherwise (the clock is passed in).
 */
export class HealthMonitor {
  readonly #limits: HealthLimits;
  #downSince: number | null;
  #head = { seq: 0, since: 0 };

  constructor(limits: HealthLimits, startedAt: number) {
    this.#limits = limits;
    // Not connected yet at start: that counts as unreachable from the start.
    this.#downSince = startedAt;
    this.#head.since = startedAt;
  }

  observe(sample: HealthSample, now: number): void {
    if (sample.connected) this.#downSince = null;
    else this.#downSince ??= now;
    const seq = sample.depth > 0 ? sample.headSeq : 0;
    if (seq !== this.#head.seq) this.#head = { seq, since: now };
  }

  verdict(now: number): HealthVerdict {
    const problems: string[] = [];
    const { maxBrokerDownS, maxOutboxStallS } = this.#limits;
    if (this.#downSince !== null) {
      const downS = Math.floor((now - this.#downSince) / 1000);
      if (downS > maxBrokerDownS)
        problems.push(
          `broker unreachable for ${downS} s (more than health.maxBrokerDownS = ${maxBrokerDownS})`,
        );
    }
    if (this.#head.seq !== 0) {
      const stallS = Math.floor((now - this.#head.since) / 1000);
      if (stallS > maxOutboxStallS)
        problems.push(
          `outbox head (message ${this.#head.seq}) has not moved for ${stallS} s (more than health.maxOutboxStallS = ${maxOutboxStallS})`,
        );
    }
    return { status: problems.length === 0 ? 'ok' : 'not-ok', problems };
  }
}
