// The health verdict (and the health message that carries it) and the intake queue's accounting,
// without a process around them.
import { gatewayHealth } from '@iotgw/contracts';
import { createTestLogger } from '@iotgw/logger';
import type { ConnectorMetrics } from '@iotgw/mqtt-connector';
import { describe, expect, it } from 'vitest';
import { HealthMonitor } from '../src/observability/health-monitor.js';
import { healthPayload } from '../src/observability/health-payload.js';
import { IntakeQueue } from '../src/publish/intake-queue.js';

describe('HealthMonitor', () => {
  const limits = { maxBrokerDownS: 10, maxOutboxStallS: 20 };

  it('is not ok once the broker has been away longer than maxBrokerDownS, ok again once connected', () => {
    const m = new HealthMonitor(limits, 0);
    m.observe({ connected: false, depth: 0, headSeq: 0 }, 5_000);
    expect(m.verdict(10_000).status).toBe('ok');
    expect(m.verdict(11_500)).toEqual({
      status: 'not-ok',
      problems: ['broker unreachable for 11 s (more than health.maxBrokerDownS = 10)'],
    });
    m.observe({ connected: true, depth: 0, headSeq: 0 }, 12_000);
    expect(m.verdict(60_000).status).toBe('ok');
  });

  it('is not ok once the outbox head has not moved for maxOutboxStallS while messages wait', () => {
    const m = new HealthMonitor(limits, 0);
    m.observe({ connected: true, depth: 5, headSeq: 7 }, 1_000);
    m.observe({ connected: true, depth: 9, headSeq: 7 }, 15_000);
    expect(m.verdict(21_000).status).toBe('ok');
    expect(m.verdict(22_000).problems).toEqual([
      'outbox head (message 7) has not moved for 21 s (more than health.maxOutboxStallS = 20)',
    ]);
    m.observe({ connected: true, depth: 9, headSeq: 8 }, 22_500);
    expect(m.verdict(23_000).status).toBe('ok');
    // A backlog that moves is fine however old; an empty outbox is fine however long.
    m.observe({ connected: true, depth: 0, headSeq: 0 }, 30_000);
    expect(m.verdict(300_000).status).toBe('ok');
  });

  it('the health message carries the verdict and satisfies its contract', () => {
    const outbox = { depth: 3, bytes: 9, oldestAgeMs: 4_000, appended: 3, sent: 0, dropped: 0 };
    const connector = {
      outbox: { ...outbox, droppedBytes: 0, replaced: 1, parked: 2, headSeq: 4 },
      receipts: { mode: 'auto', active: true, waiting: 2, oldestAgeMs: 3_600 },
    } as unknown as ConnectorMetrics;
    const payload = healthPayload({
      version: '1.0.0',
      uptimeS: 12,
      ble: undefined,
      wmbus: undefined,
      intake: { queued: 5, dropped_overload: 1, failed: 0 },
      connector,
      verdict: { status: 'not-ok', problems: ['broker unreachable for 400 s'] },
    });
    expect(gatewayHealth.validate(payload).ok).toBe(true);
    expect(payload).toMatchObject({
      status: 'not-ok',
      problems: ['broker unreachable for 400 s'],
      counters: { readings_queued: 5, readings_dropped_overload: 1, outbox_parked: 2 },
      outbox: { depth: 3, unreceipted: 2, oldest_unreceipted_age_s: 4 },
    });
  });
});

describe('IntakeQueue', () => {
  it('counts a reading as queued only once stored, refuses (and counts) beyond maxQueued, drains', async () => {
    const log = createTestLogger('intake');
    const q = new IntakeQueue({ maxQueued: 3, logger: log.logger });
    const started: number[] = [];
    const release: (() => void)[] = [];
    const task = (i: number) => () => {
      started.push(i);
      return new Promise<boolean>((resolve) => release.push(() => resolve(true)));
    };
    expect([0, 1, 2, 3, 4].map((i) => q.push(task(i)))).toEqual([true, true, true, false, false]);
    expect(started).toEqual([0, 1, 2]); // handed over at once, in order
    expect(q.counters).toEqual({ queued: 0, dropped_overload: 2, failed: 0 });
    expect(log.text()).toContain('newest readings dropped (intake.maxQueued)');
    const drained = q.drained();
    for (const r of release.splice(0)) r();
    await drained;
    expect(q.counters.queued).toBe(3);
    expect(q.pending).toBe(0);
    expect(q.push(() => Promise.reject(new Error('disk full')))).toBe(true);
    await q.drained();
    expect(q.counters.failed).toBe(1);
    expect(log.text()).toContain('disk full');
  });
});
