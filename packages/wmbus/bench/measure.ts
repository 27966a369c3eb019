import type { BenchFigure } from '@iotgw/testkit';
/**
 * Items per second of `fn` (which processes `batch` items): best of `rounds` rounds of about `ms` each after a
 * warm-up. Best-of, because on a shared machine other processes only ever make a round slower.
 */
export function perSecond(batch: number, fn: () => void, ms = 1_000, rounds = 3): number {
  let best = 0;
  for (let r = 0; r < rounds; r++) best = Math.max(best, oneRound(batch, fn, ms));
  return best;
}

function oneRound(batch: number, fn: () => void, ms: number): number {
  const warmUntil = performance.now() + 300;
  while (performance.now() < warmUntil) fn();
  let items = 0;
  const started = performance.now();
  let now = started;
  while (now - started < ms) {
    fn();
    items += batch;
    now = performance.now();
  }
  return (items / (now - started)) * 1000;
}

export type Figure = BenchFigure;
