/**
 * Failure codes of the pure decoding stack. Expected failures are values, never exceptions: a bad CRC, a
 * wrong key or an unknown compact format is normal radio traffic that the caller counts.
 */
export const wmbusErrorCodes = [
  /** Fewer bytes than the smallest telegram / header needs. */
  'WMBUS_ERR_SHORT',
  /** The L field (or a header length) does not match the bytes present. */
  'WMBUS_ERR_LENGTH',
  /** A DLL, payload or compact-data CRC does not match (not after a decryption: see WRONG_KEY). */
  'WMBUS_ERR_CRC',
  /** Decrypted with the configured key, but the payload CRC / 2F2F check failed: the key is wrong. */
  'WMBUS_ERR_WRONG_KEY',
  /** A key is configured for this meter but the telegram is plaintext: refused. */
  'WMBUS_ERR_NOT_ENCRYPTED',
  /** The telegram is encrypted and no key was given. */
  'WMBUS_ERR_NO_KEY',
  /** Something valid but not implemented: TPL security modes 7/10, ELL security modes other than CTR, … */
  'WMBUS_ERR_UNSUPPORTED',
  /** A compact frame whose format signature is neither built in nor learnt from a full frame yet. */
  'WMBUS_ERR_UNKNOWN_FORMAT',
  /** Records decoded, but no driver is registered for (manufacturer, version, type): see `records`. */
  'WMBUS_ERR_NO_DRIVER',
  /** The application-layer record stream is malformed (truncated record, bad DIF/VIF chain). */
  'WMBUS_ERR_RECORDS',
  /** An input that is not a telegram at all (bad hex, wrong type). */
  'WMBUS_ERR_INPUT',
] as const;

export type WmbusErrorCode = (typeof wmbusErrorCodes)[number];

export interface Failure {
  readonly ok: false;
  readonly code: WmbusErrorCode;
  readonly detail: string;
}

export type Result<T extends object> = ({ readonly ok: true } & T) | Failure;

export function fail(code: WmbusErrorCode, detail: string): Failure {
  return { ok: false, code, detail };
}

/**
 * Programmer and configuration errors (a malformed key handed to an encoder, a capture file that is not
 * JSON Lines, a link mode the stick cannot do) are thrown with a stable code.
 */
export class WmbusError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WmbusError';
    this.code = code;
  }
}
