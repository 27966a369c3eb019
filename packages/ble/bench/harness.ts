// Tiny benchmark harness: time-boxed loops, best of several rounds, JSON output contract of COMMON.md.
import { type BenchFigure, writeBenchFigures } from '@iotgw/testkit';

export type Figure = BenchFigure;

/** Calls `op(i)` in a loop for about `ms` per round; returns the best rate (ops/s) of `rounds`. */
export function rate(op: (i: number) => unknown, ms = 700, rounds = 3): number {
  // Results are kept in a ring so the JIT cannot drop the work (escape analysis) as dead.
  const keep: unknown[] = new Array(1024);
  for (let i = 0; i < 20_000; i++) keep[i & 1023] = op(i); // warm up (JIT)
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < ms) {
      for (let k = 0; k < 1000; k++) keep[(n + k) & 1023] = op(n + k);
      n += 1000;
      elapsed = performance.now() - start;
    }
    best = Math.max(best, (n / elapsed) * 1000);
  }
  if (keep.length !== 1024) console.log(keep.length);
  return best;
}

export function figure(
  name: string,
  value: number,
  unit: string,
  conditions: string,
  options: { baseline?: { figure: string; value: number }; target?: number } = {},
): Figure {
  const baseline = options.baseline ?? null;
  return {
    figure: name,
    value: Math.round(value),
    unit,
    conditions,
    baseline: baseline === null ? null : { figure: baseline.figure, value: Math.round(baseline.value) },
    ratio: baseline === null ? null : Number((value / baseline.value).toFixed(3)),
    target: options.target === undefined ? null : `>= ${options.target.toLocaleString('en')} ${unit}`,
    met: options.target === undefined ? null : value >= options.target,
  };
}

export function report(figures: Figure[]): void {
  const rows = figures.map((f) => [
    f.figure,
    `${f.value.toLocaleString('en')} ${f.unit}`,
    f.baseline === null ? '—' : `${f.baseline.figure}: ${f.baseline.value.toLocaleString('en')}`,
    f.ratio === null ? '—' : String(f.ratio),
    f.target ?? '—',
    f.met === null ? '—' : f.met ? 'met' : 'NOT MET',
  ]);
  const header = ['figure', 'value', 'baseline', 'ratio', 'target', 'met'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
  writeBenchFigures(figures);
}
