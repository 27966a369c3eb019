import { macBytes, macFromBytes, normalizeMac } from '../bytes.js';
import { decodeFailure } from '../decode-failure.js';
import type { FormatDecodeContext, FormatDecodeResult } from '../format-definition.js';
import { KeyRing } from '../key-ring.js';
import { BTHOME_COUNTER_SIZE, BTHOME_MIC_SIZE, bthomeNonce, ccmDecrypt } from './bthome-ccm.js';
import { parseBthomeObjects } from './bthome-parse.js';

export const BTHOME_SERVICE_UUID = 'fcd2';

/** Device-info byte bits. */
export const BTHOME_INFO = {
  encrypted: 0x01,
  /** Reserved in the spec; bthome-ble reads it as "6 MAC bytes (reversed) follow". */
  macIncluded: 0x02,
  trigger: 0x04,
  version2: 0x40,
} as const;

/** Smallest ciphertext bthome-ble accepts (one object id + one value byte). */
const MIN_CIPHERTEXT = 2;

function lookupKey(keys: ReadonlyMap<string, Uint8Array> | undefined, mac: string): Uint8Array | undefined {
  if (keys === undefined || keys.size === 0) return undefined;
  return keys.get(mac) ?? keys.get(mac.toLowerCase());
}

/**
 * BTHome v2 (service data UUID 0xFCD2): device-info byte, then objects (see bthome-objects.ts), or,
 * when encrypted, AES-128-CCM ciphertext ‖ counter (uint32 LE) ‖ 4-byte MIC. With a key configured
 * for the device, plaintext adverts are refused (`downgrade`); with `context.replay`, the counter
 * must increase (`replay`).
 */
export function decodeBthomeV2(data: Uint8Array, context: FormatDecodeContext): FormatDecodeResult {
  {
    if (data.length < 1) return decodeFailure('bad_length', 'BTHome service data is empty');
    const info = data[0]!;
    const version = info >> 5;
    if (version !== 2) {
      return decodeFailure(
        'unsupported_version',
        `BTHome device-info byte 0x${hex2(info)} announces version ${version}, not 2`,
      );
    }
    let offset = 1;
    let mac: string | undefined;
    let macRaw: Uint8Array | undefined;
    if (info & BTHOME_INFO.macIncluded) {
      if (data.length < 7)
        return decodeFailure('bad_length', 'BTHome advert flags an included MAC but is too short');
      macRaw = Uint8Array.from(data.subarray(1, 7)).reverse();
      mac = macFromBytes(macRaw);
      offset = 7;
    } else {
      mac = normalizeMac(context.address);
    }
    const identity = mac ?? context.address;
    const key = mac === undefined ? undefined : lookupKey(context.keys, mac);

    if ((info & BTHOME_INFO.encrypted) === 0) {
      if (key !== undefined) {
        return decodeFailure(
          'downgrade',
          `plaintext BTHome advert from ${identity}, which has a key configured`,
        );
      }
      return objectsResult(data, offset, identity, undefined, macRaw === undefined ? undefined : identity);
    }

    if (mac === undefined) {
      return decodeFailure(
        'invalid_address',
        `encrypted BTHome advert from '${context.address}', not a MAC address`,
      );
    }
    if (key === undefined)
      return decodeFailure('missing_key', `encrypted BTHome advert from ${mac}, no key configured`);
    if (key.length !== 16)
      return decodeFailure('bad_key', `the key configured for ${mac} is ${key.length} bytes, not 16`);
    const tail = BTHOME_COUNTER_SIZE + BTHOME_MIC_SIZE;
    if (data.length - offset < MIN_CIPHERTEXT + tail) {
      return decodeFailure('bad_length', `encrypted BTHome service data is ${data.length} bytes, too short`);
    }
    const micAt = data.length - BTHOME_MIC_SIZE;
    const counterAt = micAt - BTHOME_COUNTER_SIZE;
    const counterBytes = data.subarray(counterAt, micAt);
    const counter =
      (counterBytes[0]! | (counterBytes[1]! << 8) | (counterBytes[2]! << 16)) + counterBytes[3]! * 0x1000000;
    const verdict = context.replay?.check(mac, counter, data);
    if (verdict === 'replay') {
      const last = context.replay?.lastCounter(mac);
      return decodeFailure('replay', `BTHome counter ${counter} from ${mac} did not increase (last ${last})`);
    }
    const nonce = bthomeNonce(macRaw ?? macBytes(mac), info, counterBytes);
    const ciphertext = data.subarray(offset, counterAt);
    const mic = data.subarray(micAt);
    // A KeyRing keeps one AES engine per key (fast path); a plain Map of keys uses node's AES-CCM directly.
    const engine = context.keys instanceof KeyRing ? context.keys.ccm(mac) : undefined;
    const plain = engine ? engine.decrypt(nonce, ciphertext, mic) : ccmDecrypt(key, nonce, ciphertext, mic);
    if (plain === undefined) {
      return decodeFailure(
        'decrypt_failed',
        `BTHome advert from ${mac} failed AES-CCM authentication (wrong key or tampered)`,
      );
    }
    context.replay?.accept(mac, counter, data);
    return objectsResult(plain, 0, mac, counter, macRaw === undefined ? undefined : mac);
  }
}

function objectsResult(
  data: Uint8Array,
  start: number,
  identity: string,
  counter: number | undefined,
  includedMac: string | undefined,
): FormatDecodeResult {
  const parsed = parseBthomeObjects(data, start);
  if (parsed.count === 0) {
    return decodeFailure('no_values', `BTHome advert from ${identity} has no decodable object`);
  }
  const result: FormatDecodeResult = { ok: true, values: parsed.values };
  const sequence = parsed.packetId ?? counter;
  if (sequence !== undefined) result.sequence = sequence;
  if (includedMac !== undefined) result.address = includedMac;
  return result;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}
