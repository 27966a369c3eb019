import { macBytes, normalizeMac } from '../bytes.js';
import { type DecodeFailure, decodeFailure } from '../decode-failure.js';
import type { FormatDecodeContext } from '../format-definition.js';
import { ccmDecrypt } from './bthome-ccm.js';

/** Associated data of every MiBeacon v4/v5 encrypted payload. */
const AAD = Uint8Array.of(0x11);

/**
 * Opens an encrypted MiBeacon v4/v5 payload: ciphertext ‖ 3-byte extended counter ‖ 4-byte MIC;
 * nonce = reversed MAC (6) ‖ product id (2) ‖ frame counter (1) ‖ extended counter (3); AAD 0x11.
 * The 32-bit counter (extended ‖ frame counter) must increase when a replay guard is given.
 */
export function decryptMibeacon(
  data: Uint8Array,
  at: number,
  identity: string,
  key: Uint8Array | undefined,
  context: FormatDecodeContext,
): { ok: true; plain: Uint8Array } | DecodeFailure {
  const mac = normalizeMac(identity);
  if (mac === undefined)
    return decodeFailure('invalid_address', `encrypted MiBeacon from '${identity}', not a MAC`);
  if (key === undefined)
    return decodeFailure('missing_key', `encrypted MiBeacon from ${mac}, no key configured`);
  if (key.length !== 16)
    return decodeFailure('bad_key', `the key configured for ${mac} is ${key.length} bytes, not 16`);
  if (data.length - at < 1 + 3 + 4)
    return decodeFailure('bad_length', 'encrypted MiBeacon payload is too short');
  const micAt = data.length - 4;
  const extAt = micAt - 3;
  const nonce = new Uint8Array(12);
  nonce.set(macBytes(mac).reverse(), 0);
  nonce[6] = data[2]!;
  nonce[7] = data[3]!;
  nonce[8] = data[4]!;
  nonce.set(data.subarray(extAt, micAt), 9);
  const counter = (data[4]! | (data[extAt]! << 8) | (data[extAt + 1]! << 16)) + data[extAt + 2]! * 0x1000000;
  if (context.replay?.check(mac, counter, data) === 'replay') {
    return decodeFailure('replay', `MiBeacon counter ${counter} from ${mac} did not increase`);
  }
  const plain = ccmDecrypt(key, nonce, data.subarray(at, extAt), data.subarray(micAt), AAD);
  if (plain === undefined) {
    return decodeFailure(
      'decrypt_failed',
      `MiBeacon from ${mac} failed AES-CCM authentication (wrong key or tampered)`,
    );
  }
  context.replay?.accept(mac, counter, data);
  return { ok: true, plain };
}
