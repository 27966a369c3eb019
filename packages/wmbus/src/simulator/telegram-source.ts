import { setTimeout as sleep } from 'node:timers/promises';

/** One telegram a source produces: L-prefixed bytes, when (ms on the source's own timeline) and how strong. */
export interface SourceTelegram {
  /** Milliseconds since the source's first telegram (its own timeline; pacing maps it to wall time). */
  readonly atMs: number;
  readonly bytes: Uint8Array;
  readonly rssiDbm?: number;
}

/** Anything that yields telegrams in time order: a capture replay, the simulated meters, a test list. */
export interface TelegramSource {
  telegrams(): AsyncIterable<SourceTelegram>;
}

export interface PaceOptions {
  /** Time acceleration: 1 = recorded speed, 10 = ten times faster, Infinity = as fast as possible. */
  readonly speed?: number;
  readonly signal?: AbortSignal;
}

/**
 * Yields a source's telegrams at their recorded times divided by `speed` — the in-process way to use a
 * source without a pty (`for await (const t of paceTelegrams(new SimulatedMeters(), { speed: 100 }))`).
 * Ends quietly when the signal aborts.
 */
export async function* paceTelegrams(
  source: TelegramSource,
  options: PaceOptions = {},
): AsyncGenerator<SourceTelegram> {
  const speed = options.speed ?? 1;
  const started = performance.now();
  let origin: number | undefined;
  for await (const t of source.telegrams()) {
    if (options.signal?.aborted) return;
    origin ??= t.atMs;
    if (Number.isFinite(speed) && speed > 0) {
      const due = (t.atMs - origin) / speed - (performance.now() - started);
      if (due > 0) {
        try {
          await sleep(due, undefined, options.signal ? { signal: options.signal } : {});
        } catch {
          return;
        }
      }
    }
    yield t;
  }
}

/** A fixed list of telegrams as a source (tests). */
export function listSource(list: readonly SourceTelegram[]): TelegramSource {
  return {
    async *telegrams() {
      yield* list;
    },
  };
}
