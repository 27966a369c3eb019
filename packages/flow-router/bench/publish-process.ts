// Publisher in its own process (so it does not share the consumer's event loop). Config as JSON in
// BENCH_PUBLISH; prints one JSON line `{ "acked": n, "ms": t }` when the broker acknowledged everything.
import { publishNumbered } from '../test/support/publisher.ts';
import type { PublishRun } from './bench-env.ts';

const config = JSON.parse(process.env['BENCH_PUBLISH'] ?? '{}') as PublishRun;
const started = performance.now();
const acked = await publishNumbered({
  url: config.url,
  clientId: config.clientId,
  topic: (seq) => `${config.topicPrefix}/dev${seq % 16}/data`,
  // Five numeric fields; `ts` is the publish time, for publish-to-commit latency.
  payload: (seq) => ({
    seq,
    ts: performance.timeOrigin + performance.now(),
    t: 20 + (seq % 70) / 10,
    h: 40 + (seq % 13),
    v: seq * 2,
  }),
  count: config.count,
  window: config.window ?? 1000,
  ...(config.rate !== undefined ? { rate: config.rate } : {}),
  ...(config.idPrefix !== undefined ? { stampId: (seq: number) => `${config.idPrefix}-${seq}` } : {}),
});
process.stdout.write(`${JSON.stringify({ acked, ms: performance.now() - started })}\n`);
