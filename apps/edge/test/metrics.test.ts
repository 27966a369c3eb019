import { describe, expect, it } from 'vitest';
import { EdgeMetrics } from '../src/observability/edge-metrics.js';

/** Counters as the parts keep them: BLE pipeline, wM-Bus registry + stick, publisher, connector. */
function metrics() {
  return new EdgeMetrics({
    ble: () => ({ seen: 100, decoded: 60, duplicates: 20, filtered: 15, refused: 25 }),
    wmbus: () => ({
      telegrams: 10,
      readings: 6,
      failed: 1,
      ignoredNotMonitored: 2,
      ignoredUnparseable: 1,
      foreignMeters: 2,
      stick_framesOk: 10,
    }),
    connector: () => ({
      connected: true,
      tooLarge: 0,
      outbox: { depth: 0, sent: 5, dropped: 0, parked: 0, replaced: 0 },
    }),
    publisher: () => ({ published: 5, refusedByFilter: 1, invalid: 0 }),
    intake: () => ({ queued: 5, dropped_overload: 0, failed: 0 }),
  });
}

const samples = (text: string, name: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`))
    .map((l) => {
      const m = /\{(\w+)="([^"]*)"\} (\S+)$/.exec(l);
      return { label: m?.[2] ?? '', value: Number(m?.[3]) };
    });

describe('edge metrics', () => {
  it('outcomes partition what was heard: they add up to it, none contains another', async () => {
    const text = await metrics().registry.metrics();
    const ble = samples(text, 'iotgw_edge_ble_adverts_total');
    expect(ble.map((s) => s.label).sort()).toEqual(['duplicate', 'filtered', 'reading', 'refused']);
    expect(ble.reduce((a, s) => a + s.value, 0)).toBe(100);
    const wmbus = samples(text, 'iotgw_edge_wmbus_telegrams_total');
    expect(wmbus.map((s) => s.label).sort()).toEqual(['failed', 'not_monitored', 'reading', 'unparseable']);
    expect(wmbus.reduce((a, s) => a + s.value, 0)).toBe(10);
    expect(text).toMatch(/^iotgw_edge_wmbus_foreign_meters 2$/m);
  });

  it('label values are snake_case; process metrics keep their standard names', async () => {
    const text = await metrics().registry.metrics();
    for (const m of text.matchAll(/\b(outcome|event)="([^"]*)"/g)) expect(m[2]).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(samples(text, 'iotgw_edge_published_total').map((s) => s.label)).toContain('refused_by_filter');
    expect(samples(text, 'iotgw_edge_stick_events_total').map((s) => s.label)).toEqual(['frames_ok']);
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });
});
