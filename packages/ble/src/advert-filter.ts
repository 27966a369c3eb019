import type { Advertisement } from './advertisement.js';
import { BleError } from './ble-error.js';
import { canonicalAddress, normalizeMac } from './bytes.js';

export interface AdvertFilterOptions {
  /** When non-empty, only these MACs pass. */
  allow?: Iterable<string> | undefined;
  /** These MACs never pass (checked before the allow list). */
  deny?: Iterable<string> | undefined;
  /** Adverts weaker than this (dBm) are dropped; adverts without RSSI (some captures) pass. */
  minRssi?: number | undefined;
}

export type FilterReason = 'denied' | 'not_allowed' | 'weak_signal';

export type FilterVerdict = { pass: true } | { pass: false; reason: FilterReason };

const PASS: FilterVerdict = Object.freeze({ pass: true });
const DENIED: FilterVerdict = Object.freeze({ pass: false, reason: 'denied' });
const NOT_ALLOWED: FilterVerdict = Object.freeze({ pass: false, reason: 'not_allowed' });
const WEAK: FilterVerdict = Object.freeze({ pass: false, reason: 'weak_signal' });

function macSet(list: Iterable<string> | undefined, name: string): Set<string> {
  const set = new Set<string>();
  for (const entry of list ?? []) {
    const mac = normalizeMac(entry);
    if (mac === undefined)
      throw new BleError('BLE_ERR_CONFIG', `BLE ${name} entry '${entry}' is not a MAC address`);
    set.add(mac);
  }
  return set;
}

/** MAC allow list, deny list and minimum RSSI, applied before decoding. */
export class AdvertFilter {
  readonly #allow: Set<string>;
  readonly #deny: Set<string>;
  readonly #minRssi: number | undefined;

  constructor(options: AdvertFilterOptions = {}) {
    this.#allow = macSet(options.allow, 'allow list');
    this.#deny = macSet(options.deny, 'deny list');
    if (options.minRssi !== undefined && !Number.isFinite(options.minRssi)) {
      throw new BleError('BLE_ERR_CONFIG', `BLE minRssi must be a number of dBm (got ${options.minRssi})`);
    }
    this.#minRssi = options.minRssi;
  }

  check(adv: Pick<Advertisement, 'address' | 'rssi'>): FilterVerdict {
    if (this.#deny.size > 0 || this.#allow.size > 0) {
      const address = canonicalAddress(adv.address);
      if (this.#deny.has(address)) return DENIED;
      if (this.#allow.size > 0 && !this.#allow.has(address)) return NOT_ALLOWED;
    }
    if (this.#minRssi !== undefined && adv.rssi !== undefined && adv.rssi < this.#minRssi) return WEAK;
    return PASS;
  }
}
