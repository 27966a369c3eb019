import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * One figure of a benchmark, as `pnpm bench` collects them into bench/results.json and
 * docs/performance.md: a value with its unit and conditions, and its ratio to a baseline measured in
 * the same run (machines here are noisy; ratios are what compare). Targets are reported, never asserted.
 */
export interface BenchFigure {
  figure: string;
  value: number;
  unit: string;
  conditions: string;
  baseline: { figure: string; value: number } | null;
  ratio: number | null;
  target: string | null;
  met: boolean | null;
}

/** Writes the figures where `pnpm bench` asks for them (IOTGW_BENCH_OUT), when it does. */
export function writeBenchFigures(figures: readonly BenchFigure[]): void {
  const out = process.env['IOTGW_BENCH_OUT'];
  if (out) writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
}

/**
 * Adds the figures to what an earlier script of the same package's `bench` wrote to IOTGW_BENCH_OUT
 * (a package's bench may be several scripts in a row: `a.bench.ts && b.bench.ts`).
 */
export function appendBenchFigures(figures: readonly BenchFigure[]): void {
  const out = process.env['IOTGW_BENCH_OUT'];
  if (!out) return;
  const earlier: BenchFigure[] = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : [];
  writeBenchFigures([...earlier, ...figures]);
}
