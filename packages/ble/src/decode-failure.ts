/**
 * Why an advert was not decoded. These are normal radio traffic (phones, beacons, other vendors'
 * sensors), counted by the caller, never thrown.
 */
export type DecodeFailureCode =
  /** No registered format matches the company id or service UUID (most adverts around a gateway). */
  | 'unknown_format'
  /** A format matched but the payload has the wrong length for it. */
  | 'bad_length'
  /** A format matched but announces a version or data format this decoder does not handle. */
  | 'unsupported_version'
  /** The payload was parsed but yielded no value (all invalid, or the first object unknown). */
  | 'no_values'
  /** Encrypted BTHome advert from a device without a configured key. */
  | 'missing_key'
  /** The configured key is not 16 bytes. */
  | 'bad_key'
  /** AES-CCM authentication failed: wrong key or tampered data. */
  | 'decrypt_failed'
  /** Plaintext BTHome advert from a device that has a key configured (downgrade attempt). */
  | 'downgrade'
  /** Encrypted BTHome advert whose counter did not increase (replay). */
  | 'replay'
  /** The advert's address is not a MAC address, which the format needs (BTHome encryption nonce). */
  | 'invalid_address'
  /** A decoder bug caught by the safety net; the fuzz test asserts it never happens. */
  | 'internal_error';

export interface DecodeFailure {
  ok: false;
  code: DecodeFailureCode;
  detail: string;
}

export function decodeFailure(code: DecodeFailureCode, detail: string): DecodeFailure {
  return { ok: false, code, detail };
}
