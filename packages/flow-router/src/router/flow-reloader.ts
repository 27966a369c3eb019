import type { Logger } from '@iotgw/logger';
import type { Kysely } from 'kysely';
import { errorText } from '../db/db-errors.js';
import type { RouterDatabase } from '../db/schema.js';
import type { FlowRow } from '../flows/compile-flow.js';
import type { FlowCheckOptions } from '../flows/flow-definition.js';
import type { SchemaCompiler } from '../validation/schema-compiler.js';
import { FlowSet } from './flow-set.js';
import { planReload } from './plan-reload.js';
import type { RouterTransport } from './router-transport.js';
import { loadSubscriptions, saveSubscriptions } from './subscription-state.js';

export type ReloadStep = 'load' | 'subscribe' | 'unsubscribe' | 'save';

/** What a reload changed, and what it refused and why. */
export interface ReloadReport {
  readonly at: number;
  readonly active: number;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly recompiled: readonly string[];
  readonly unchanged: number;
  readonly refused: readonly { readonly id: number; readonly code: string; readonly reason: string }[];
  readonly subscribed: readonly string[];
  readonly unsubscribed: readonly string[];
  readonly errors: readonly { readonly step: ReloadStep; readonly message: string }[];
}

export interface FlowReloaderOptions {
  readonly db: Kysely<RouterDatabase>;
  readonly transport: RouterTransport;
  readonly compiler: SchemaCompiler;
  readonly check: FlowCheckOptions;
  readonly clientId: string;
  readonly log: Logger;
  readonly now: () => number;
  /** Called when a new flow set is in place, before any (un)subscribe is awaited. */
  readonly onSwap?: () => void;
}

/**
 * Keeps the running flow set and the broker subscriptions in step with the enabled flows in the
 * database: subscribe new filters before the old ones go, unsubscribe removed filters explicitly (a
 * persistent session would keep them), remember what is subscribed so filters left over from the last
 * run are unsubscribed on start. Reloads run one at a time.
 */
export class FlowReloader {
  readonly #o: FlowReloaderOptions;
  #flows = FlowSet.empty;
  readonly #subscribed = new Set<string>();
  #previous: string[] | undefined;
  #running: Promise<ReloadReport> | undefined;

  constructor(options: FlowReloaderOptions) {
    this.#o = options;
  }

  get flows(): FlowSet {
    return this.#flows;
  }

  get subscriptions(): string[] {
    return [...this.#subscribed].sort();
  }

  /** Reads what this client id subscribed last time (before the first reload). */
  async restore(): Promise<void> {
    this.#previous = await loadSubscriptions(this.#o.db, this.#o.clientId).catch((err) => {
      this.#o.log.warn({ err: errorText(err) }, 'cannot read the last subscriptions; none unsubscribed');
      return [];
    });
  }

  reload(): Promise<ReloadReport> {
    const before = this.#running;
    const p = (async () => {
      await before?.catch(() => undefined);
      return this.#reload();
    })();
    this.#running = p;
    return p;
  }

  /** Waits for a reload in progress. */
  async settle(): Promise<void> {
    await this.#running?.catch(() => undefined);
  }

  async #reload(): Promise<ReloadReport> {
    const errors: { step: ReloadStep; message: string }[] = [];
    const at = this.#o.now();
    let rows: FlowRow[];
    try {
      // The legacy query: SELECT * FROM flows WHERE enabled = 1.
      rows = await this.#o.db
        .selectFrom('flows')
        .selectAll()
        .where('enabled', '=', 1)
        .orderBy('id')
        .execute();
    } catch (err) {
      errors.push({ step: 'load', message: errorText(err) });
      this.#o.log.warn({ err: errorText(err) }, 'flow reload: cannot read flows; keeping the current ones');
      const n = this.#flows.size;
      const none: string[] = [];
      return {
        at,
        active: n,
        added: none,
        removed: none,
        recompiled: none,
        unchanged: n,
        refused: [],
        subscribed: none,
        unsubscribed: none,
        errors,
      };
    }
    const plan = planReload(this.#flows, rows, this.#o.check);
    const wanted = new Set(plan.next.filters);
    const first = this.#previous !== undefined;
    const toSubscribe = first ? [...wanted] : [...wanted].filter((f) => !this.#subscribed.has(f));
    const known = new Set([...(this.#previous ?? []), ...this.#subscribed]);
    const toUnsubscribe = [...known].filter((f) => !wanted.has(f));
    this.#previous = undefined;

    // Swap first: a message on a new filter must find its flow; messages in flight keep their flow objects.
    this.#flows = plan.next;
    this.#o.onSwap?.();
    this.#o.compiler.retain([...plan.next.all()].map((f) => f.schema));
    const subscribed: string[] = [];
    if (toSubscribe.length > 0) {
      try {
        await this.#o.transport.subscribe(toSubscribe, { qos: 1 });
        for (const f of toSubscribe) this.#subscribed.add(f);
        subscribed.push(...toSubscribe);
      } catch (err) {
        errors.push({ step: 'subscribe', message: `${toSubscribe.join(', ')}: ${errorText(err)}` });
      }
    }
    const unsubscribed: string[] = [];
    if (toUnsubscribe.length > 0) {
      try {
        await this.#o.transport.unsubscribe(toUnsubscribe);
        for (const f of toUnsubscribe) this.#subscribed.delete(f);
        unsubscribed.push(...toUnsubscribe);
      } catch (err) {
        for (const f of toUnsubscribe) this.#subscribed.add(f);
        errors.push({ step: 'unsubscribe', message: `${toUnsubscribe.join(', ')}: ${errorText(err)}` });
      }
    }
    if (subscribed.length > 0 || unsubscribed.length > 0 || first) {
      try {
        await saveSubscriptions(this.#o.db, this.#o.clientId, [...this.#subscribed], at);
      } catch (err) {
        errors.push({ step: 'save', message: errorText(err) });
      }
    }
    const report: ReloadReport = {
      at,
      active: plan.next.size,
      added: plan.added,
      removed: plan.removed,
      recompiled: plan.recompiled,
      unchanged: plan.unchanged,
      refused: plan.refused,
      subscribed,
      unsubscribed,
      errors,
    };
    if (
      plan.added.length + plan.removed.length + plan.recompiled.length + plan.refused.length + errors.length >
      0
    ) {
      this.#o.log.info(
        { ...report, refused: plan.refused.map((r) => `${r.code}: ${r.reason}`) },
        'flows reloaded',
      );
    }
    return report;
  }
}
