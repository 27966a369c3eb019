import { createReadStream } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { setTimeout as sleep, setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Logger } from '@iotgw/logger';
import { BleError } from '../ble-error.js';
import { parseCaptureLine } from './capture-format.js';
import type { ScannedAdvert, Scanner } from './scanned-advert.js';

export interface ReplayScannerOptions {
  /** JSON Lines capture file (see capture-format.ts). */
  file: string;
  /** 1 = recorded pace (default), 0 = as fast as possible, N = N× faster. */
  speed?: number | undefined;
  /** Start over at the end of the file, forever (until stop). */
  loop?: boolean | undefined;
  /** Recorded-time gap inserted between two passes of a looped capture. Default 1000 ms. */
  loopGapMs?: number | undefined;
  /** Malformed lines are reported here (warn, with the line number). */
  logger?: Logger | undefined;
  /** Clock for the emitted `time` (epoch ms). Default `Date.now`. */
  now?: (() => number) | undefined;
}

export interface CaptureProblem {
  line: number;
  reason: string;
}

export interface ReplayStats {
  emitted: number;
  /** Malformed lines skipped (every pass counts). */
  skipped: number;
  /** Completed passes over the file. */
  passes: number;
  /** The first 100 problems. */
  problems: CaptureProblem[];
  /** Callbacks that threw (logged, replay continues). */
  callbackErrors: number;
}

const MAX_PROBLEMS = 100;
/** At speed 0, yield to the event loop every this many adverts so stop() and I/O get a turn. */
const YIELD_EVERY = 256;

/**
 * Replays a capture file. Emitted `time` is rebased to the replay: the start time plus the
 * recorded offset from the first advert (plus one capture length and `loopGapMs` per earlier
 * pass), so de-duplication windows keep their recorded meaning at any speed and across loops.
 * Malformed lines are reported with their line number and skipped.
 */
export class ReplayScanner implements Scanner {
  readonly #file: string;
  readonly #speed: number;
  readonly #loop: boolean;
  readonly #loopGapMs: number;
  readonly #logger: Logger | undefined;
  readonly #now: () => number;
  readonly #stats: ReplayStats = { emitted: 0, skipped: 0, passes: 0, problems: [], callbackErrors: 0 };
  #abort: AbortController | undefined;
  #running: Promise<ReplayStats> | undefined;

  constructor(options: ReplayScannerOptions) {
    const speed = options.speed ?? 1;
    if (!Number.isFinite(speed) || speed < 0) {
      throw new BleError(
        'BLE_ERR_CONFIG',
        `replay speed must be 0 (as fast as possible) or a positive factor (got ${speed})`,
      );
    }
    this.#file = options.file;
    this.#speed = speed;
    this.#loop = options.loop ?? false;
    this.#loopGapMs = options.loopGapMs ?? 1000;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
  }

  async start(onAdvert: (adv: ScannedAdvert) => void): Promise<void> {
    if (this.#running !== undefined) throw new BleError('BLE_ERR_STATE', 'ReplayScanner already started');
    try {
      await access(this.#file, constants.R_OK);
    } catch (cause) {
      throw new BleError(
        'BLE_ERR_CAPTURE',
        `cannot read capture file ${this.#file} (${(cause as NodeJS.ErrnoException).code ?? 'error'}); check the path in the BLE replay settings`,
        { cause },
      );
    }
    const abort = new AbortController();
    this.#abort = abort;
    this.#running = this.#run(onAdvert, abort.signal);
  }

  async stop(): Promise<void> {
    this.#abort?.abort();
    await this.#running;
  }

  /** Resolves when the replay ends: end of file (without `loop`) or `stop()`. */
  finished(): Promise<ReplayStats> {
    return this.#running ?? Promise.resolve(this.stats());
  }

  stats(): ReplayStats {
    return { ...this.#stats, problems: [...this.#stats.problems] };
  }

  async #run(onAdvert: (adv: ScannedAdvert) => void, signal: AbortSignal): Promise<ReplayStats> {
    const startWall = performance.now();
    const startEpoch = this.#now();
    let offset = 0;
    try {
      do {
        const pass = await this.#pass(onAdvert, signal, startWall, startEpoch, offset);
        if (pass === undefined) break;
        this.#stats.passes++;
        offset += pass + this.#loopGapMs;
      } while (this.#loop && !signal.aborted);
    } catch (err) {
      if (!signal.aborted) {
        this.#logger?.error({ err, file: this.#file }, 'capture replay failed');
      }
    }
    return this.stats();
  }

  /** One pass over the file; returns its recorded duration, or undefined when nothing was emitted. */
  async #pass(
    onAdvert: (adv: ScannedAdvert) => void,
    signal: AbortSignal,
    startWall: number,
    startEpoch: number,
    offset: number,
  ): Promise<number | undefined> {
    const input = createReadStream(this.#file, { encoding: 'utf8' });
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    let lineNo = 0;
    let first: number | undefined;
    let last = 0;
    try {
      for await (const raw of lines) {
        if (signal.aborted) return undefined;
        lineNo++;
        const line = raw.trim();
        if (line === '' || line.startsWith('#')) continue;
        const parsed = parseCaptureLine(line);
        if (!parsed.ok) {
          this.#problem(lineNo, parsed.reason);
          continue;
        }
        const adv = parsed.advert;
        first ??= adv.time;
        last = Math.max(last, adv.time);
        const virtual = offset + (adv.time - first);
        if (this.#speed > 0) {
          const wait = startWall + virtual / this.#speed - performance.now();
          if (wait >= 1) await sleep(wait, undefined, { signal });
        } else if (this.#stats.emitted % YIELD_EVERY === YIELD_EVERY - 1) {
          await yieldToLoop();
        }
        if (signal.aborted) return undefined;
        adv.time = startEpoch + virtual;
        this.#stats.emitted++;
        try {
          onAdvert(adv);
        } catch (err) {
          this.#stats.callbackErrors++;
          this.#logger?.warn({ err, line: lineNo }, 'advert callback threw during capture replay');
        }
      }
    } catch (err) {
      if (signal.aborted) return undefined;
      throw err;
    } finally {
      lines.close();
      input.destroy();
    }
    return first === undefined ? undefined : last - first;
  }

  #problem(line: number, reason: string): void {
    this.#stats.skipped++;
    if (this.#stats.passes > 0) return; // reported once, on the first pass
    if (this.#stats.problems.length < MAX_PROBLEMS) this.#stats.problems.push({ line, reason });
    this.#logger?.warn({ file: this.#file, line, reason }, 'malformed capture line skipped');
  }
}
