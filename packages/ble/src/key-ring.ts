import { createSecretKey, type KeyObject } from 'node:crypto';
import { BleError } from './ble-error.js';
import { hexToBytes, normalizeMac } from './bytes.js';
import { CcmBlockCipher } from './formats/aes-ccm-fast.js';

export type KeyInput = Uint8Array | string;

/**
 * BTHome bind keys by MAC address. A `Map` whose keys are canonical MACs (`AA:BB:CC:DD:EE:FF`), so
 * lookups work whatever case or separator the caller used, and which caches one node:crypto
 * `KeyObject` per key (creating it per packet costs about 7× the decryption itself).
 * Any `ReadonlyMap<string, Uint8Array>` is accepted by `decodeAdvertisement`; this one is faster.
 */
export class KeyRing extends Map<string, Uint8Array> {
  readonly #keyObjects = new Map<string, KeyObject>();
  readonly #ccm = new Map<string, CcmBlockCipher>();

  constructor(entries?: Iterable<readonly [string, KeyInput]> | Readonly<Record<string, KeyInput>>) {
    super();
    if (entries === undefined) return;
    const list = Symbol.iterator in entries ? entries : Object.entries(entries);
    for (const [address, key] of list as Iterable<readonly [string, KeyInput]>) this.set(address, key);
  }

  /** Adds a key; `key` is 16 bytes or 32 hex digits. Throws `BLE_ERR_KEY` / `BLE_ERR_CONFIG` otherwise. */
  override set(address: string, key: KeyInput): this {
    const mac = normalizeMac(address);
    if (mac === undefined) {
      throw new BleError(
        'BLE_ERR_CONFIG',
        `BLE key address '${address}' is not a MAC address (AA:BB:CC:DD:EE:FF)`,
      );
    }
    const bytes = typeof key === 'string' ? hexToBytes(key) : key;
    if (bytes === undefined || bytes.length !== 16) {
      throw new BleError('BLE_ERR_KEY', `BLE key for ${mac} must be 16 bytes (32 hex digits)`);
    }
    this.#keyObjects.delete(mac);
    this.#ccm.delete(mac);
    return super.set(mac, Uint8Array.from(bytes));
  }

  override get(address: string): Uint8Array | undefined {
    return super.get(address) ?? super.get(normalizeMac(address) ?? address);
  }

  override has(address: string): boolean {
    return this.get(address) !== undefined;
  }

  override delete(address: string): boolean {
    const mac = normalizeMac(address) ?? address;
    this.#keyObjects.delete(mac);
    this.#ccm.delete(mac);
    return super.delete(mac);
  }

  override clear(): void {
    this.#keyObjects.clear();
    this.#ccm.clear();
    super.clear();
  }

  /** The cached AES-CCM engine for `address` (one reusable AES block cipher per key), or undefined. */
  ccm(address: string): CcmBlockCipher | undefined {
    const cached = this.#ccm.get(address);
    if (cached !== undefined) return cached;
    const mac = normalizeMac(address) ?? address;
    const bytes = super.get(mac);
    if (bytes === undefined) return undefined;
    const created = new CcmBlockCipher(bytes);
    this.#ccm.set(mac, created);
    return created;
  }

  /** The cached AES key object for `address`, or `undefined` when no key is configured. */
  keyObject(address: string): KeyObject | undefined {
    const cached = this.#keyObjects.get(address);
    if (cached !== undefined) return cached;
    const mac = normalizeMac(address) ?? address;
    const bytes = super.get(mac);
    if (bytes === undefined) return undefined;
    const created = createSecretKey(bytes);
    this.#keyObjects.set(mac, created);
    return created;
  }
}

/** A `KeyRing` from `[mac, key]` pairs or a `{ mac: hexKey }` record (e.g. from config). */
export function createKeyRing(
  entries?: Iterable<readonly [string, KeyInput]> | Readonly<Record<string, KeyInput>>,
): KeyRing {
  return new KeyRing(entries);
}
