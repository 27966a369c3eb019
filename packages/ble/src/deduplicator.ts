import { BleError } from './ble-error.js';
import { LruMap } from './lru-map.js';

export const DEFAULT_DEDUP_WINDOW_MS = 10_000;
export const DEFAULT_MAX_DEVICES = 10_000;

/** What de-duplication looks at: a decoded reading's format, device and packet id / sequence. */
export interface DedupInput {
  format: string;
  address: string;
  sequence?: number | undefined;
}

export type DedupVerdict = 'new' | 'duplicate';

export interface DeduplicatorOptions {
  /** Window after an accepted reading during which repeats are dropped. Default 10 s (legacy). */
  windowMs?: number | undefined;
  /** Per-format windows, e.g. `{ thingy52: 10_000, ruuvi_v5: 5_000 }`. */
  windowByFormat?: Readonly<Partial<Record<string, number>>> | undefined;
  /** Devices remembered at most; the least recently seen is forgotten first. Default 10,000. */
  maxDevices?: number | undefined;
  /** Clock (ms); default `Date.now`. */
  now?: (() => number) | undefined;
}

interface DeviceState {
  acceptedAt: number;
  sequence: number | undefined;
}

function checkWindow(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new BleError(
      'BLE_ERR_CONFIG',
      `${name} must be a non-negative number of milliseconds (got ${value})`,
    );
  }
  return value;
}

/**
 * Per-device de-duplication, as the legacy gateway did it (each Thingy advert arrives 3–4 times, on
 * channels 37/38/39), made sequence-aware:
 * - A reading with a sequence (BTHome packet id, Ruuvi measurement sequence) is new when its
 *   sequence differs from the device's last accepted one, even inside the window, and a duplicate
 *   when it is the same, even after the window.
 * - A reading without a sequence is a duplicate within `windowMs` of the device's last accepted
 *   reading (the window is anchored on acceptance, not on the last repeat).
 * State is kept per format and address, bounded by `maxDevices` (LRU), so 100,000 passing devices
 * cannot grow memory without limit; a forgotten device's next reading counts as new.
 */
export class Deduplicator {
  readonly #windowMs: number;
  readonly #windowByFormat: Map<string, number>;
  readonly #states: LruMap<string, DeviceState>;
  readonly #now: () => number;

  constructor(options: DeduplicatorOptions = {}) {
    this.#windowMs = checkWindow('dedup windowMs', options.windowMs ?? DEFAULT_DEDUP_WINDOW_MS);
    this.#windowByFormat = new Map();
    for (const [format, value] of Object.entries(options.windowByFormat ?? {})) {
      if (value !== undefined)
        this.#windowByFormat.set(format, checkWindow(`dedup window for ${format}`, value));
    }
    const maxDevices = options.maxDevices ?? DEFAULT_MAX_DEVICES;
    if (!Number.isInteger(maxDevices) || maxDevices < 1) {
      throw new BleError('BLE_ERR_CONFIG', `dedup maxDevices must be a positive integer (got ${maxDevices})`);
    }
    this.#states = new LruMap(maxDevices);
    this.#now = options.now ?? Date.now;
  }

  /** The window that applies to `format`. */
  windowFor(format: string): number {
    return this.#windowByFormat.get(format) ?? this.#windowMs;
  }

  /** Decides and records: `new` readings update the device's state, duplicates do not. */
  check(reading: DedupInput, at: number = this.#now()): DedupVerdict {
    const key = `${reading.format}|${reading.address}`;
    const state = this.#states.get(key);
    const sequence = reading.sequence;
    if (state !== undefined) {
      if (sequence !== undefined && state.sequence !== undefined) {
        if (sequence === state.sequence) return 'duplicate';
      } else if (at - state.acceptedAt < this.windowFor(reading.format) && at >= state.acceptedAt) {
        return 'duplicate';
      }
    }
    this.#states.set(key, { acceptedAt: at, sequence });
    return 'new';
  }

  /** Forgets one device's state for one format. */
  forget(format: string, address: string): void {
    this.#states.delete(`${format}|${address}`);
  }

  /** Devices currently remembered. */
  get size(): number {
    return this.#states.size;
  }

  get maxDevices(): number {
    return this.#states.capacity;
  }

  clear(): void {
    this.#states.clear();
  }
}
