// Routing cost against the number of flows: match + decode + validate + build the records of one
// message (everything the router does per message before the database), with 10 and with 10,000
// flows, through FlowRouter.explain on an in-memory SQLite flow table.

import { topicMatchesFilter } from '@iotgw/contracts';
import { FlowRouter, loadRouterSettings, migrateToLatest, openDatabase, TopicTrie } from '@iotgw/flow-router';
import { createLogger } from '@iotgw/logger';
import { insertRawFlows } from '../test/support/raw-flow.ts';

export interface RateOnly {
  flows: number;
  rate: number;
}

function topicsFor(flows: number): string[] {
  // Every topic matches exactly one flow; 4,096 distinct topics.
  return Array.from({ length: 4096 }, (_, i) => {
    const site = (i * 7919) % flows;
    return site % 2 === 0 ? `site${site}/dev${i}/data` : `site${site}/dev/data`;
  });
}

function filterOf(i: number): string {
  return i % 2 === 0 ? `site${i}/+/data` : `site${i}/dev/data`;
}

/** The bare topic trie. */
export function matchRate(flows: number, lookups: number): RateOnly {
  const t = new TopicTrie<number>();
  for (let i = 0; i < flows; i++) t.add(filterOf(i), i);
  const topics = topicsFor(flows);
  let matched = 0;
  for (let i = 0; i < 100_000; i++) matched += t.match(topics[i & 4095] as string).length;
  // Best of three rounds: a micro-benchmark on shared cores is noisy (GC, neighbours).
  let best = 0;
  for (let round = 0; round < 3; round++) {
    matched = 0;
    const start = performance.now();
    for (let i = 0; i < lookups; i++) matched += t.match(topics[i & 4095] as string).length;
    const ms = performance.now() - start;
    if (matched !== lookups) throw new Error(`expected one match per topic, got ${matched} for ${lookups}`);
    best = Math.max(best, (lookups * 1000) / ms);
  }
  return { flows, rate: best };
}

/** What a trie avoids: every filter tested against every topic. */
export function linearScanRate(flows: number, lookups: number): RateOnly {
  const filters = Array.from({ length: flows }, (_, i) => filterOf(i));
  const topics = topicsFor(flows);
  let matched = 0;
  const start = performance.now();
  for (let i = 0; i < lookups; i++) {
    const topic = topics[i & 4095] as string;
    for (const f of filters) if (topicMatchesFilter(f, topic)) matched++;
  }
  const ms = performance.now() - start;
  if (matched !== lookups) throw new Error('linear scan mismatch');
  return { flows, rate: (lookups * 1000) / ms };
}

/** The whole per-message routing step. */
export async function routeRate(flows: number, messages: number): Promise<RateOnly> {
  const url = 'sqlite::memory:';
  const handle = openDatabase(url);
  await migrateToLatest(handle.db);
  const schema = JSON.stringify({ seq: 'int', ts: 'number', t: 'number', h: 'number', v: 'number' });
  await insertRawFlows(
    handle.db,
    Array.from({ length: flows }, (_, i) => ({ code: `f${i}`, topic: filterOf(i), payloadSchema: schema })),
  );
  const router = new FlowRouter({
    db: handle.db,
    dialect: handle.dialect,
    transport: { subscribe: async () => [], unsubscribe: async () => {}, onMessage: () => {} },
    logger: createLogger({ name: 'bench-route', level: 'silent', format: 'json' }),
    settings: loadRouterSettings({ DATABASE_URL: url, FLOWS_RELOAD_INTERVAL_SECONDS: '0' }),
  });
  await router.start();
  const topics = topicsFor(flows);
  const payload = Buffer.from(
    JSON.stringify({ seq: 12345, ts: 1780000000000.123, t: 21.5, h: 40, v: 24690 }),
  );
  let stored = 0;
  for (let i = 0; i < 20_000; i++) stored += router.explain(topics[i & 4095] as string, payload).length;
  let best = 0;
  for (let round = 0; round < 3; round++) {
    stored = 0;
    const start = performance.now();
    for (let i = 0; i < messages; i++) {
      for (const f of router.explain(topics[i & 4095] as string, payload))
        if (f.outcome === 'store') stored++;
    }
    const ms = performance.now() - start;
    if (stored !== messages) throw new Error(`expected every message stored by one flow, got ${stored}`);
    best = Math.max(best, (messages * 1000) / ms);
  }
  await router.stop();
  await handle.close();
  return { flows, rate: best };
}
