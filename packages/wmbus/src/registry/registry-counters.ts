export interface RegistryCountersSnapshot {
  /** Every telegram handed to the registry. */
  readonly telegrams: number;
  readonly readings: number;
  readonly failed: number;
  readonly ignoredNotMonitored: number;
  readonly ignoredUnparseable: number;
  /** Distinct foreign meter ids heard (counting stops growing at 10,000 ids). */
  readonly foreignMeters: number;
  /** Failures by code (WMBUS_ERR_WRONG_KEY, …). */
  readonly failures: Readonly<Record<string, number>>;
}

const MAX_FOREIGN_IDS = 10_000;

/** Plain counters; radio noise is aggregated here instead of logged per telegram. */
export class RegistryCounters {
  #readings = 0;
  #failed = 0;
  #notMonitored = 0;
  #unparseable = 0;
  readonly #foreign = new Set<string>();
  readonly #failures = new Map<string, number>();

  reading(): void {
    this.#readings++;
  }

  failed(code: string): void {
    this.#failed++;
    this.#failures.set(code, (this.#failures.get(code) ?? 0) + 1);
  }

  ignored(reason: 'not_monitored' | 'unparseable', id?: string): void {
    if (reason === 'unparseable') this.#unparseable++;
    else {
      this.#notMonitored++;
      if (id !== undefined && this.#foreign.size < MAX_FOREIGN_IDS) this.#foreign.add(id);
    }
  }

  snapshot(): RegistryCountersSnapshot {
    return {
      telegrams: this.#readings + this.#failed + this.#notMonitored + this.#unparseable,
      readings: this.#readings,
      failed: this.#failed,
      ignoredNotMonitored: this.#notMonitored,
      ignoredUnparseable: this.#unparseable,
      foreignMeters: this.#foreign.size,
      failures: Object.fromEntries(this.#failures),
    };
  }
}
