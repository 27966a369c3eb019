import type { KeyObject } from 'node:crypto';
import { BleError } from '../ble-error.js';
import { macBytes, normalizeMac } from '../bytes.js';
import { bthomeNonce, ccmEncrypt } from '../formats/bthome-ccm.js';
import { BTHOME_OBJECT_BY_ID, BUTTON_EVENTS, DIMMER_EVENTS } from '../formats/bthome-objects.js';
import { BTHOME_INFO } from '../formats/bthome-v2.js';

/**
 * One BTHome object to send. `value` is the physical value (25.06 for 0x02 temperature), a boolean
 * for binary sensors, a string for text (0x53), button/dimmer event names and firmware versions
 * ('4.2.1.0'), or raw value bytes (0x54 raw, or any object's encoded value).
 */
export interface BthomeObjectValue {
  id: number;
  value: number | boolean | string | Uint8Array;
  /** Dimmer steps (0x3C only). */
  steps?: number;
}

export interface EncodeBthomeOptions {
  /** Encrypt with this bind key (AES-128-CCM); needs `address` and `counter`. */
  key?: Uint8Array | KeyObject | undefined;
  /** Sender MAC (nonce), `AA:BB:CC:DD:EE:FF`. */
  address?: string | undefined;
  /** Encryption counter (uint32), must increase per advert. */
  counter?: number | undefined;
  /** Sets the trigger-based device flag (bit 2). */
  trigger?: boolean | undefined;
}

function findCode(table: Readonly<Record<number, string>>, name: string): number | undefined {
  for (const [code, label] of Object.entries(table)) if (label === name) return Number(code);
  return undefined;
}

function encodeObject(item: BthomeObjectValue): number[] {
  const object = BTHOME_OBJECT_BY_ID[item.id];
  if (object === undefined)
    throw new BleError('BLE_ERR_CONFIG', `BTHome object id 0x${item.id.toString(16)} is not supported`);
  const { value } = item;
  if (value instanceof Uint8Array) {
    return object.kind === 'text' || object.kind === 'raw'
      ? [item.id, value.length, ...value]
      : [item.id, ...value];
  }
  switch (object.kind) {
    case 'text': {
      const bytes = new TextEncoder().encode(String(value));
      return [item.id, bytes.length, ...bytes];
    }
    case 'raw':
      throw new BleError('BLE_ERR_CONFIG', 'BTHome raw (0x54) values must be given as bytes');
    case 'bool':
      return [item.id, value ? 1 : 0];
    case 'button': {
      const code = typeof value === 'number' ? value : findCode(BUTTON_EVENTS, String(value));
      if (code === undefined)
        throw new BleError('BLE_ERR_CONFIG', `unknown BTHome button event '${String(value)}'`);
      return [item.id, code];
    }
    case 'dimmer': {
      const code = typeof value === 'number' ? value : findCode(DIMMER_EVENTS, String(value));
      if (code === undefined)
        throw new BleError('BLE_ERR_CONFIG', `unknown BTHome dimmer event '${String(value)}'`);
      return [item.id, code, item.steps ?? 0];
    }
    case 'firmware': {
      const parts = String(value).split('.').map(Number).reverse();
      return [item.id, ...Array.from({ length: object.size }, (_, k) => (parts[k] ?? 0) & 0xff)];
    }
    default: {
      const raw = Math.round((Number(value) * object.div) / object.mul);
      const limit = 2 ** (8 * object.size);
      const min = object.kind === 'sint' ? -limit / 2 : 0;
      const max = object.kind === 'sint' ? limit / 2 - 1 : limit - 1;
      let clipped = Math.min(max, Math.max(min, raw));
      if (clipped < 0) clipped += limit;
      const bytes = [item.id];
      for (let k = 0; k < object.size; k++) {
        bytes.push(clipped % 256);
        clipped = Math.floor(clipped / 256);
      }
      return bytes;
    }
  }
}

/**
 * Builds BTHome v2 service data (what noble reports for UUID `fcd2`: device-info byte onwards).
 * Objects are written in the order given (the spec asks senders for ascending ids). With
 * `options.key`, the objects are encrypted as bthome.io/encryption describes.
 */
export function encodeBthome(
  objects: readonly BthomeObjectValue[],
  options: EncodeBthomeOptions = {},
): Uint8Array {
  const plain = Uint8Array.from(objects.flatMap(encodeObject));
  let info = BTHOME_INFO.version2 | (options.trigger ? BTHOME_INFO.trigger : 0);
  if (options.key === undefined) return Uint8Array.from([info, ...plain]);

  info |= BTHOME_INFO.encrypted;
  const mac = options.address === undefined ? undefined : normalizeMac(options.address);
  if (mac === undefined)
    throw new BleError('BLE_ERR_CONFIG', 'encrypted BTHome needs the sender MAC address');
  const counter = options.counter ?? 0;
  if (!Number.isInteger(counter) || counter < 0 || counter > 0xffffffff) {
    throw new BleError('BLE_ERR_CONFIG', `BTHome counter must be a uint32 (got ${counter})`);
  }
  const counterBytes = Uint8Array.of(
    counter & 0xff,
    (counter >>> 8) & 0xff,
    (counter >>> 16) & 0xff,
    counter >>> 24,
  );
  const { ciphertext, mic } = ccmEncrypt(options.key, bthomeNonce(macBytes(mac), info, counterBytes), plain);
  return Uint8Array.from([info, ...ciphertext, ...counterBytes, ...mic]);
}
