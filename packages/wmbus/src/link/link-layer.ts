import { u8, u16le } from '../bytes.js';
import { bytesToHex } from '../hex.js';
import { fail, type Result } from '../result.js';
import { deviceTypeMedia } from './device-type.js';
import { type DllFrameFormat, hasValidFormatACrcs, hasValidFormatBCrcs, stripDllCrcs } from './dll-crc.js';
import { manufacturerCode } from './manufacturer.js';

/** How the input carries DLL CRCs: `auto` detects them as wmbusmeters does for hex input. */
export type FrameFormatOption = 'auto' | 'stripped' | DllFrameFormat;

/** The fixed 10-byte link-layer header (after stripping DLL CRCs) and the CI that follows it. */
export interface LinkHeader {
  /** L field of the stripped telegram: bytes after L. */
  readonly length: number;
  /** C field, 0x44 = SND_NR. */
  readonly c: number;
  /** The raw 16-bit M field. */
  readonly mField: number;
  /** Three-letter manufacturer code, e.g. KAM. */
  readonly manufacturer: string;
  /** Meter id as printed (BCD reversed), 8 characters, e.g. 32666857. */
  readonly id: string;
  readonly version: number;
  readonly deviceType: number;
  readonly media: string;
  /** CI field at byte 10. */
  readonly ci: number;
}

export interface LinkFrame {
  readonly header: LinkHeader;
  /** The telegram without DLL CRCs, L rewritten: what the iM871A delivers. */
  readonly bytes: Uint8Array;
  /** Which DLL CRCs were found and removed. */
  readonly dllCrc: 'none' | DllFrameFormat;
}

export const MIN_TELEGRAM_LENGTH = 11;

/**
 * Parses the link layer of one telegram (L C M A V T CI). Never throws: short input, an L field that does not
 * match, or DLL CRCs that do not verify when a format is forced give a typed failure.
 */
export function parseLinkLayer(
  input: Uint8Array,
  options: { frameFormat?: FrameFormatOption } = {},
): Result<{ frame: LinkFrame }> {
  const format = options.frameFormat ?? 'auto';
  if (format === 'auto') {
    const candidates = frameFormatCandidates(input);
    const first = candidates[0];
    return first === undefined
      ? parseLinkLayer(input, { frameFormat: 'stripped' })
      : parseLinkLayer(input, { frameFormat: first });
  }
  if (input.length < MIN_TELEGRAM_LENGTH)
    return fail(
      'WMBUS_ERR_SHORT',
      `telegram has ${input.length} bytes, at least ${MIN_TELEGRAM_LENGTH} needed`,
    );
  let bytes = input;
  if (format === 'A') {
    if (!hasValidFormatACrcs(input)) return fail('WMBUS_ERR_CRC', 'DLL CRCs of frame format A do not verify');
    bytes = stripDllCrcs(input, 'A');
  } else if (format === 'B') {
    if (!hasValidFormatBCrcs(input)) return fail('WMBUS_ERR_CRC', 'DLL CRCs of frame format B do not verify');
    bytes = stripDllCrcs(input, 'B');
  }
  const l = u8(bytes, 0);
  if (l + 1 !== bytes.length)
    return fail('WMBUS_ERR_LENGTH', `L field says ${l + 1} bytes, telegram has ${bytes.length}`);
  if (bytes.length < MIN_TELEGRAM_LENGTH)
    return fail(
      'WMBUS_ERR_SHORT',
      `telegram has ${bytes.length} bytes without CRCs, at least ${MIN_TELEGRAM_LENGTH} needed`,
    );
  const mField = u16le(bytes, 2);
  const deviceType = u8(bytes, 9);
  const header: LinkHeader = {
    length: l,
    c: u8(bytes, 1),
    mField,
    manufacturer: manufacturerCode(mField),
    id: bytesToHex(Uint8Array.of(u8(bytes, 7), u8(bytes, 6), u8(bytes, 5), u8(bytes, 4))),
    version: u8(bytes, 8),
    deviceType,
    media: deviceTypeMedia(deviceType),
    ci: u8(bytes, 10),
  };
  return { ok: true, frame: { header, bytes, dllCrc: format === 'stripped' ? 'none' : format } };
}

/**
 * The readings of `input` worth trying, most likely first: format A when its block CRCs all verify (a false
 * positive is practically impossible), then the stripped telegram as a stick delivers it, then format B
 * when its CRC verifies (a stripped telegram ends in a valid CRC by chance once in 65,536, so the decoder
 * tries B only when the stripped reading fails).
 */
export function frameFormatCandidates(input: Uint8Array): Array<'stripped' | DllFrameFormat> {
  const out: Array<'stripped' | DllFrameFormat> = [];
  if (hasValidFormatACrcs(input)) out.push('A');
  if ((input[0] ?? -1) + 1 === input.length) {
    out.push('stripped');
    if (hasValidFormatBCrcs(input)) out.push('B');
  }
  return out;
}
