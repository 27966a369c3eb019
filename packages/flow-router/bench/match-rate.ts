// Matching cost against the number of flows: the topic trie with 10 and with 10,000 flows.
import { TopicTrie } from '@iotgw/flow-router';

export interface MatchResult {
  flows: number;
  rate: number;
}

function trie(flows: number): TopicTrie<number> {
  const t = new TopicTrie<number>();
  for (let i = 0; i < flows; i++) {
    // A realistic mix: exact device filters, per-site wildcards, and a few catch-alls.
    if (i % 10 === 0) t.add(`site${i}/+/data`, i);
    else t.add(`site${i % 1000}/dev${i}/data`, i);
  }
  t.add('#', -1);
  t.add('+/+/status', -2);
  return t;
}

export function matchRate(flows: number, lookups: number): MatchResult {
  const t = trie(flows);
  const topics = Array.from(
    { length: 4096 },
    (_, i) => `site${i % Math.min(flows, 1000)}/dev${i % flows}/data`,
  );
  let matched = 0;
  for (let i = 0; i < 50_000; i++) matched += t.match(topics[i % topics.length] as string).length;
  const start = performance.now();
  for (let i = 0; i < lookups; i++) matched += t.match(topics[i & 4095] as string).length;
  const ms = performance.now() - start;
  if (matched === 0) throw new Error('nothing matched');
  return { flows, rate: (lookups * 1000) / ms };
}
