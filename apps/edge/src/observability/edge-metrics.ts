import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/** A part's counters: an object of numbers (other fields are ignored). */
type Snapshot = object | undefined;

export interface EdgeMetricSources {
  ble: () => Snapshot;
  wmbus: () => Snapshot;
  connector: () => {
    connected: boolean;
    tooLarge: number;
    outbox: {
      depth: number;
      oldestAgeMs?: number | undefined;
      sent: number;
      dropped: number;
      parked: number;
      replaced: number;
    };
    receipts?: { waiting: number; oldestAgeMs: number; active: boolean } | undefined;
  };
  publisher: () => Snapshot;
  intake: () => Snapshot;
}

function field(snapshot: Snapshot, name: string): unknown {
  return snapshot ? (snapshot as Record<string, unknown>)[name] : undefined;
}

function num(snapshot: Snapshot, name: string): number | undefined {
  const v = field(snapshot, name);
  return typeof v === 'number' ? v : undefined;
}

/** Label values are snake_case (`refusedByFilter` → `refused_by_filter`). */
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Prometheus metrics of the edge, read from the counters each part keeps (scrape-time collection:
 * nothing on the hot path). Counters that only grow are exposed as counters, by their delta.
 */
export class EdgeMetrics {
  readonly registry = new Registry();

  constructor(sources: EdgeMetricSources) {
    // process_cpu_seconds_total, nodejs_* …: the standard names stock dashboards expect.
    collectDefaultMetrics({ register: this.registry });
    const last = new Map<string, number>();
    const advance = (
      counter: Counter<string>,
      key: string,
      labels: Record<string, string>,
      value: unknown,
    ): void => {
      if (typeof value !== 'number') return;
      const before = last.get(key) ?? 0;
      if (value > before) counter.inc(labels, value - before);
      last.set(key, value);
    };
    new Counter({
      name: 'iotgw_edge_ble_adverts_total',
      help: 'BLE adverts heard, by outcome (filtered, refused, duplicate, reading); the outcomes add up to every advert heard',
      labelNames: ['outcome'],
      registers: [this.registry],
      collect() {
        const s = sources.ble();
        if (!s) return;
        const decoded = num(s, 'decoded');
        const duplicates = num(s, 'duplicates');
        advance(this, 'ble.filtered', { outcome: 'filtered' }, num(s, 'filtered'));
        advance(this, 'ble.refused', { outcome: 'refused' }, num(s, 'refused'));
        advance(this, 'ble.duplicate', { outcome: 'duplicate' }, duplicates);
        if (decoded !== undefined && duplicates !== undefined)
          advance(this, 'ble.reading', { outcome: 'reading' }, decoded - duplicates);
      },
    });
    new Counter({
      name: 'iotgw_edge_wmbus_telegrams_total',
      help: 'wM-Bus telegrams heard, by outcome (reading, failed, not_monitored, unparseable); they add up to every telegram',
      labelNames: ['outcome'],
      registers: [this.registry],
      collect() {
        const s = sources.wmbus();
        if (!s) return;
        advance(this, 'wmbus.reading', { outcome: 'reading' }, num(s, 'readings'));
        advance(this, 'wmbus.failed', { outcome: 'failed' }, num(s, 'failed'));
        advance(this, 'wmbus.not_monitored', { outcome: 'not_monitored' }, num(s, 'ignoredNotMonitored'));
        advance(this, 'wmbus.unparseable', { outcome: 'unparseable' }, num(s, 'ignoredUnparseable'));
      },
    });
    new Gauge({
      name: 'iotgw_edge_wmbus_foreign_meters',
      help: 'Distinct meters heard that are not provisioned (stops growing at 10,000)',
      registers: [this.registry],
      collect() {
        const n = num(sources.wmbus(), 'foreignMeters');
        if (n !== undefined) this.set(n);
      },
    });
    new Counter({
      name: 'iotgw_edge_stick_events_total',
      help: 'iM871A stick transport events by kind (frames, errors, resets, …)',
      labelNames: ['event'],
      registers: [this.registry],
      collect() {
        for (const [key, value] of Object.entries(sources.wmbus() ?? {}))
          if (key.startsWith('stick_')) advance(this, `stick.${key}`, { event: snake(key.slice(6)) }, value);
      },
    });
    new Counter({
      name: 'iotgw_edge_published_total',
      help: 'Messages handed to the outbox, refused by the outbound filter, or invalid for their contract',
      labelNames: ['outcome'],
      registers: [this.registry],
      collect() {
        for (const [outcome, value] of Object.entries(sources.publisher() ?? {}))
          advance(this, `pub.${outcome}`, { outcome: snake(outcome) }, value);
      },
    });
    new Counter({
      name: 'iotgw_edge_readings_total',
      help: 'Readings stored in the outbox (queued), refused because intake.maxQueued readings waited (dropped_overload), or failed to store',
      labelNames: ['outcome'],
      registers: [this.registry],
      collect() {
        for (const [outcome, value] of Object.entries(sources.intake() ?? {}))
          advance(this, `intake.${outcome}`, { outcome }, value);
      },
    });
    new Gauge({
      name: 'iotgw_edge_mqtt_connected',
      help: '1 when connected to the broker',
      registers: [this.registry],
      collect() {
        this.set(sources.connector().connected ? 1 : 0);
      },
    });
    new Gauge({
      name: 'iotgw_edge_outbox_depth',
      help: 'Messages waiting in the outbox for a broker acknowledgement',
      registers: [this.registry],
      collect() {
        this.set(sources.connector().outbox.depth);
      },
    });
    new Gauge({
      name: 'iotgw_edge_outbox_oldest_age_seconds',
      help: 'Age of the oldest message in the outbox',
      registers: [this.registry],
      collect() {
        this.set((sources.connector().outbox.oldestAgeMs ?? 0) / 1000);
      },
    });
    new Gauge({
      name: 'iotgw_edge_outbox_unreceipted',
      help: "Readings the broker acknowledged that wait in the outbox for the server's receipt",
      registers: [this.registry],
      collect() {
        this.set(sources.connector().receipts?.waiting ?? 0);
      },
    });
    new Gauge({
      name: 'iotgw_edge_outbox_oldest_unreceipted_age_seconds',
      help: "Age of the oldest reading waiting for the server's receipt (0 when none)",
      registers: [this.registry],
      collect() {
        this.set((sources.connector().receipts?.oldestAgeMs ?? 0) / 1000);
      },
    });
    new Counter({
      name: 'iotgw_edge_outbox_messages_total',
      help: 'Outbox messages acknowledged by the broker (sent), dropped because the outbox was full, parked because the broker can never take them, or replaced by a newer copy',
      labelNames: ['outcome'],
      registers: [this.registry],
      collect() {
        const o = sources.connector().outbox;
        advance(this, 'outbox.sent', { outcome: 'sent' }, o.sent);
        advance(this, 'outbox.dropped', { outcome: 'dropped' }, o.dropped);
        advance(this, 'outbox.parked', { outcome: 'parked' }, o.parked);
        advance(this, 'outbox.replaced', { outcome: 'replaced' }, o.replaced);
      },
    });
  }
}
