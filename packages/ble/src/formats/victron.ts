import { createCipheriv } from 'node:crypto';
import { normalizeMac } from '../bytes.js';
import { type DecodeFailure, decodeFailure } from '../decode-failure.js';
import type { FormatDecodeContext, FormatDecodeResult } from '../format-definition.js';

export const VICTRON_COMPANY_ID = 0x02e1;

/** Offsets in the manufacturer data (company id included) of a Victron "Instant Readout" advert. */
const AT = { prefix: 2, model: 4, recordType: 6, iv: 7, keyCheck: 9, payload: 10 } as const;

function lookupKey(keys: ReadonlyMap<string, Uint8Array> | undefined, mac: string): Uint8Array | undefined {
  if (keys === undefined || keys.size === 0) return undefined;
  return keys.get(mac) ?? keys.get(mac.toLowerCase());
}

/** AES-128-CTR whose 128-bit counter is little-endian and starts at the advert's 16-bit IV. */
function ctrDecrypt(key: Uint8Array, iv: number, data: Uint8Array): Uint8Array {
  const blocks = Math.ceil(data.length / 16);
  const counters = Buffer.alloc(16 * blocks);
  for (let b = 0; b < blocks; b++) {
    const n = iv + b;
    counters[16 * b] = n & 0xff;
    counters[16 * b + 1] = (n >> 8) & 0xff;
    counters[16 * b + 2] = (n >> 16) & 0xff;
  }
  const ecb = createCipheriv('aes-128-ecb', key, null);
  ecb.setAutoPadding(false);
  const stream = ecb.update(counters);
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ stream[i]!;
  return out;
}

/**
 * The advert's 16-bit IV as an ever-increasing counter for the replay guard: it may wrap, so a step
 * forward of less than half the range from the last accepted value is fresh, anything else a replay.
 */
function extendedCounter(last: number | undefined, iv: number): number | undefined {
  if (last === undefined) return iv;
  const step = (iv - (last & 0xffff) + 0x10000) & 0xffff;
  if (step === 0) return last;
  return step < 0x8000 ? last + step : undefined;
}

/**
 * Victron "Instant Readout" (manufacturer data, company 0x02E1, record prefix 0x10): model id, record
 * type, a 16-bit IV, the first byte of the device's key (a key check), then the record encrypted with
 * AES-128-CTR. There is no MIC: a wrong key is caught by the key check byte; with a replay guard the IV
 * must move forward. `decodeRecord` reads the plaintext of one record type.
 */
export function decodeVictron(
  data: Uint8Array,
  context: FormatDecodeContext,
  decodeRecord: (plain: Uint8Array) => FormatDecodeResult,
): FormatDecodeResult {
  if (data.length < AT.payload + 1) return decodeFailure('bad_length', 'Victron advert is too short');
  const mac = normalizeMac(context.address);
  if (mac === undefined)
    return decodeFailure('invalid_address', `Victron advert from '${context.address}', not a MAC`);
  const key = lookupKey(context.keys, mac);
  if (key === undefined)
    return decodeFailure('missing_key', `encrypted Victron advert from ${mac}, no key configured`);
  if (key.length !== 16)
    return decodeFailure('bad_key', `the key configured for ${mac} is ${key.length} bytes, not 16`);
  if (data[AT.keyCheck] !== key[0]) {
    return decodeFailure(
      'decrypt_failed',
      `Victron advert from ${mac}: its key check byte does not match the key`,
    );
  }
  const iv = data[AT.iv]! | (data[AT.iv + 1]! << 8);
  const counter = extendedCounter(context.replay?.lastCounter(mac), iv);
  const replayed: DecodeFailure | undefined =
    counter === undefined || context.replay?.check(mac, counter, data) === 'replay'
      ? decodeFailure('replay', `Victron IV ${iv} from ${mac} did not move forward`)
      : undefined;
  if (replayed) return replayed;
  const result = decodeRecord(ctrDecrypt(key, iv, data.subarray(AT.payload)));
  if (result.ok && counter !== undefined) context.replay?.accept(mac, counter, data);
  return result;
}
