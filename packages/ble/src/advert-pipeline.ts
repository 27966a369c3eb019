import { AdvertFilter } from './advert-filter.js';
import type { Advertisement, ReadingValues } from './advertisement.js';
import { BleError } from './ble-error.js';
import { canonicalAddress } from './bytes.js';
import { type DecodeOptions, decodeAdvertisement } from './decode-advertisement.js';
import { DEFAULT_MAX_DEVICES, Deduplicator } from './deduplicator.js';
import { DEFAULT_FORMAT_IDS, FORMAT_IDS, type FormatId, isFormatId } from './format-registry.js';
import { type KeyInput, KeyRing } from './key-ring.js';
import { createReplayGuard, type ReplayGuard } from './replay-guard.js';

export interface AdvertPipelineOptions {
  /** BTHome bind keys by MAC: a Map or a `{ mac: hexKey }` record. Validated here (BLE_ERR_KEY). */
  keys?: ReadonlyMap<string, KeyInput> | Readonly<Record<string, KeyInput>> | undefined;
  /** De-duplication window, default 10 s. */
  dedupWindowMs?: number | undefined;
  dedupWindowByFormat?: Partial<Record<FormatId, number>> | undefined;
  allow?: Iterable<string> | undefined;
  deny?: Iterable<string> | undefined;
  minRssi?: number | undefined;
  /** Bound of per-device state (de-duplication and replay counters). Default 10,000. */
  maxDevices?: number | undefined;
  /** Formats to decode; default every family that is not opt-in (`presence` is). */
  formats?: readonly FormatId[] | undefined;
  /** Clock (epoch ms) for adverts without their own `time`. Default `Date.now`. */
  now?: (() => number) | undefined;
}

export interface DecodedReading {
  format: FormatId;
  address: string;
  brand: string;
  model: string;
  modelId: string;
  rssi?: number;
  values: ReadingValues;
  sequence?: number;
  /** Epoch ms: the advert's `time` when it has one (scanners set it), else the pipeline clock. */
  receivedAt: number;
}

export type PipelineOutcome =
  | { kind: 'reading'; reading: DecodedReading }
  | { kind: 'duplicate' }
  | { kind: 'filtered'; reason: string }
  | { kind: 'refused'; code: string; detail: string };

export interface PipelineCounters {
  seen: number;
  decoded: number;
  duplicates: number;
  filtered: number;
  refused: number;
  /** Readings emitted per format. */
  byFormat: Record<string, number>;
  /** Refused adverts per decode failure code (`unknown_format` is everyday traffic). */
  refusedByCode: Record<string, number>;
}

const DUPLICATE: PipelineOutcome = Object.freeze({ kind: 'duplicate' });

/**
 * The edge's BLE path for one advert: filter (allow/deny/RSSI) → decode (keys, replay guard) →
 * de-duplicate. Refused adverts (other vendors, phones, bad MICs) are counted, not errors.
 * Construction validates the options and throws `BleError` (BLE_ERR_CONFIG / BLE_ERR_KEY).
 */
export class AdvertPipeline {
  readonly #filter: AdvertFilter;
  readonly #dedup: Deduplicator;
  readonly #decodeOptions: DecodeOptions;
  readonly #replay: ReplayGuard;
  readonly #now: () => number;
  readonly #counters: PipelineCounters = {
    seen: 0,
    decoded: 0,
    duplicates: 0,
    filtered: 0,
    refused: 0,
    byFormat: {},
    refusedByCode: {},
  };

  constructor(options: AdvertPipelineOptions = {}) {
    const maxDevices = options.maxDevices ?? DEFAULT_MAX_DEVICES;
    this.#now = options.now ?? Date.now;
    this.#filter = new AdvertFilter({ allow: options.allow, deny: options.deny, minRssi: options.minRssi });
    this.#dedup = new Deduplicator({
      windowMs: options.dedupWindowMs,
      windowByFormat: options.dedupWindowByFormat,
      maxDevices,
      now: this.#now,
    });
    for (const format of options.formats ?? []) {
      if (!isFormatId(format)) throw new BleError('BLE_ERR_CONFIG', `unknown BLE format '${format}'`);
    }
    const keys = new KeyRing(options.keys);
    this.#replay = createReplayGuard({ maxDevices: Math.max(maxDevices, keys.size) });
    this.#decodeOptions = {
      keys,
      replay: this.#replay,
      formats: options.formats === undefined ? DEFAULT_FORMAT_IDS : [...options.formats],
    };
  }

  process(adv: Advertisement & { time?: number }): PipelineOutcome {
    const counters = this.#counters;
    counters.seen++;
    const verdict = this.#filter.check(adv);
    if (!verdict.pass) {
      counters.filtered++;
      return { kind: 'filtered', reason: verdict.reason };
    }
    const result = decodeAdvertisement(adv, this.#decodeOptions);
    if (!result.ok) {
      counters.refused++;
      counters.refusedByCode[result.code] = (counters.refusedByCode[result.code] ?? 0) + 1;
      return { kind: 'refused', code: result.code, detail: result.detail };
    }
    counters.decoded++;
    const receivedAt = typeof adv.time === 'number' && Number.isFinite(adv.time) ? adv.time : this.#now();
    if (this.#dedup.check(result, receivedAt) === 'duplicate') {
      counters.duplicates++;
      return DUPLICATE;
    }
    counters.byFormat[result.format] = (counters.byFormat[result.format] ?? 0) + 1;
    const reading: DecodedReading = {
      format: result.format,
      address: result.address,
      brand: result.brand,
      model: result.model,
      modelId: result.modelId,
      values: result.values,
      receivedAt,
    };
    if (adv.rssi !== undefined) reading.rssi = adv.rssi;
    if (result.sequence !== undefined) reading.sequence = result.sequence;
    return { kind: 'reading', reading };
  }

  /** A snapshot of the counters since construction. */
  counters(): PipelineCounters {
    const c = this.#counters;
    return { ...c, byFormat: { ...c.byFormat }, refusedByCode: { ...c.refusedByCode } };
  }

  /**
   * Forgets a device's encryption counter and de-duplication state, e.g. after its battery change
   * reset the BTHome counter (its adverts are refused as `replay` until then).
   */
  forgetDevice(address: string): void {
    const canonical = canonicalAddress(address);
    this.#replay.forget(canonical);
    for (const format of FORMAT_IDS) this.#dedup.forget(format, canonical);
  }

  /** Devices currently remembered by de-duplication (bounded by `maxDevices`). */
  get trackedDevices(): number {
    return this.#dedup.size;
  }
}
