import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EdgeMetrics } from '@iotgw/edge';
import { repoRoot } from '@iotgw/testkit';
import { describe, expect, it } from 'vitest';
import { ServerMetrics } from '../src/index.js';

interface Panel {
  title?: string;
  targets?: { expr?: string }[];
  panels?: Panel[];
}

function expressions(panels: Panel[]): { panel: string; expr: string }[] {
  return panels.flatMap((p) => [
    ...(p.targets ?? []).map((t) => ({ panel: p.title ?? '', expr: t.expr ?? '' })),
    ...expressions(p.panels ?? []),
  ]);
}

/** Every series name a registry exposes (histograms with their _bucket, _sum and _count). */
async function exported(registry: EdgeMetrics['registry']): Promise<Set<string>> {
  const names = new Set<string>();
  for (const m of await registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
    if (String(m.type) === 'summary') for (const s of ['_sum', '_count']) names.add(m.name + s);
  }
  return names;
}

describe('the Grafana dashboard (infra/grafana/iotgw-dashboard.json)', () => {
  it('every query names metrics the programs export, and every iotgw metric has a panel', async () => {
    const dashboard = JSON.parse(readFileSync(join(repoRoot, 'infra/grafana/iotgw-dashboard.json'), 'utf8'));
    const edge = new EdgeMetrics({
      ble: () => ({ seen: 1, decoded: 1, duplicates: 0, filtered: 0, refused: 0 }),
      wmbus: () => ({
        readings: 1,
        failed: 0,
        ignoredNotMonitored: 0,
        ignoredUnparseable: 0,
        foreignMeters: 0,
      }),
      connector: () => ({
        connected: true,
        tooLarge: 0,
        outbox: { depth: 0, sent: 0, dropped: 0, parked: 0, replaced: 0 },
      }),
      publisher: () => ({ published: 0 }),
      intake: () => ({ queued: 0, dropped_overload: 0, failed: 0 }),
    });
    const names = new Set([
      ...(await exported(edge.registry)),
      ...(await exported(new ServerMetrics().registry)),
    ]);
    const exprs = expressions(dashboard.panels);
    expect(exprs.length).toBeGreaterThan(20);
    const used = new Set<string>();
    const unknown: string[] = [];
    for (const { panel, expr } of exprs) {
      for (const [name] of expr.matchAll(/\b(?:iotgw|process|nodejs)_[a-z0-9_]+/g)) {
        used.add(name.replace(/_(bucket|sum|count)$/, ''));
        if (!names.has(name)) unknown.push(`${panel}: ${name}`);
      }
    }
    expect(unknown).toEqual([]);
    const iotgw = [...names].filter((n) => n.startsWith('iotgw_') && !/_(bucket|sum|count)$/.test(n));
    expect(iotgw.filter((n) => !used.has(n))).toEqual([]);
  });
});
