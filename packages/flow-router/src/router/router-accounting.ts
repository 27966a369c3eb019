import type { Logger } from '@iotgw/logger';
import type { ItemOutcome, WorkItem } from '../pipeline/work-item.js';
import type { RouterMetrics } from './router-metrics.js';

export interface RouterCounters {
  received: number;
  unmatched: number;
  stored: number;
  queued: number;
  duplicates: number;
  deadLetters: number;
  batches: number;
  /** Batches planned again after losing a race with a concurrent commit (Galera). */
  conflictRetries: number;
  reloads: number;
  /** Messages on topics that carry secrets (never routed). */
  secretTopics: number;
  /** Retained deliveries on shared subscriptions (ignored: one per connection). */
  retainedIgnored: number;
}

/**
 * Counts outcomes, feeds the metrics hooks and logs dead letters — which are normal traffic: one
 * warning per flow and reason a minute, the rest counted.
 */
export class RouterAccounting {
  readonly counters: RouterCounters = {
    received: 0,
    unmatched: 0,
    stored: 0,
    queued: 0,
    duplicates: 0,
    deadLetters: 0,
    batches: 0,
    conflictRetries: 0,
    reloads: 0,
    secretTopics: 0,
    retainedIgnored: 0,
  };
  readonly #metrics: RouterMetrics;
  readonly #log: Logger;
  readonly #logged = new Map<string, { at: number; suppressed: number }>();

  constructor(metrics: RouterMetrics, log: Logger) {
    this.#metrics = metrics;
    this.#log = log;
  }

  unmatched(): void {
    this.counters.unmatched++;
    this.#metrics.messageOutcome('', 'unmatched');
  }

  /** A message the router does not route at all (acknowledged, nothing stored). */
  ignored(why: 'secret_topic' | 'retained_on_shared'): void {
    if (why === 'secret_topic') this.counters.secretTopics++;
    else this.counters.retainedIgnored++;
    this.#metrics.messageOutcome('', why === 'secret_topic' ? 'ignored_secret' : 'ignored_retained');
  }

  /** Accounts one message's outcomes; returns whether something was queued for POST. */
  outcomes(items: readonly WorkItem[], outcomes: readonly ItemOutcome[]): boolean {
    let queued = false;
    outcomes.forEach((o, i) => {
      const item = items[i] as WorkItem;
      this.#metrics.messageOutcome(item.flowCode, o.outcome);
      if (o.outcome === 'stored') this.counters.stored++;
      else if (o.outcome === 'queued') {
        this.counters.queued++;
        queued = true;
      } else if (o.outcome === 'duplicate') this.counters.duplicates++;
      else if (o.outcome === 'dead_letter') {
        this.counters.deadLetters++;
        this.#metrics.deadLetter(item.flowCode, o.reasonCode);
        this.#logDeadLetter(item, o.reasonCode);
      }
    });
    return queued;
  }

  #logDeadLetter(item: WorkItem, reasonCode: string): void {
    const key = `${item.flowCode}\u0000${reasonCode}`;
    const now = Date.now();
    const seen = this.#logged.get(key);
    if (seen && now - seen.at < 60_000) {
      seen.suppressed++;
      return;
    }
    const reason = item.action.kind === 'dead' ? item.action.reason : undefined;
    this.#log.warn(
      {
        flow: item.flowCode,
        topic: item.topic,
        reasonCode,
        reason: reason?.reason,
        path: reason?.jsonPath,
        suppressed: seen?.suppressed ?? 0,
      },
      'message dead-lettered',
    );
    this.#logged.set(key, { at: now, suppressed: 0 });
  }
}
