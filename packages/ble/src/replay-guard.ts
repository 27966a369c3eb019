import { BleError } from './ble-error.js';
import { bytesEqual } from './bytes.js';
import { LruMap } from './lru-map.js';

/**
 * `fresh`: the counter increased. `repeat`: the same counter with byte-identical data, i.e. the
 * device re-sending one packet on several channels (decoded, then dropped by de-duplication).
 * `replay`: the counter did not increase (or the same counter came with other bytes).
 */
export type ReplayVerdict = 'fresh' | 'repeat' | 'replay';

/**
 * Per-device state for BTHome encryption-counter checks, owned by the caller and passed to
 * `decodeAdvertisement` in `options.replay`. Counters are committed only after the MIC verified,
 * so a forged packet with a huge counter cannot lock a device out.
 */
export interface ReplayGuard {
  check(address: string, counter: number, data: Uint8Array): ReplayVerdict;
  /** Records an authenticated packet. */
  accept(address: string, counter: number, data: Uint8Array): void;
  /** Forgets a device (e.g. after its battery change reset the counter). */
  forget(address: string): void;
  /** The last accepted counter of a device. */
  lastCounter(address: string): number | undefined;
  readonly size: number;
}

export interface ReplayGuardOptions {
  /** Devices remembered at most (least recently seen forgotten first). Default 10,000. */
  maxDevices?: number | undefined;
}

interface CounterState {
  counter: number;
  data: Uint8Array;
}

/** Creates an empty, bounded replay guard. */
export function createReplayGuard(options: ReplayGuardOptions = {}): ReplayGuard {
  const maxDevices = options.maxDevices ?? 10_000;
  if (!Number.isInteger(maxDevices) || maxDevices < 1) {
    throw new BleError(
      'BLE_ERR_CONFIG',
      `replay guard maxDevices must be a positive integer (got ${maxDevices})`,
    );
  }
  const states = new LruMap<string, CounterState>(maxDevices);
  return {
    check(address, counter, data) {
      const last = states.peek(address);
      if (last === undefined || counter > last.counter) return 'fresh';
      if (counter === last.counter && bytesEqual(data, last.data)) return 'repeat';
      return 'replay';
    },
    accept(address, counter, data) {
      const last = states.peek(address);
      if (last !== undefined && counter < last.counter) return;
      states.set(address, { counter, data: Uint8Array.from(data) });
    },
    forget(address) {
      states.delete(address);
    },
    lastCounter(address) {
      return states.peek(address)?.counter;
    },
    get size() {
      return states.size;
    },
  };
}
