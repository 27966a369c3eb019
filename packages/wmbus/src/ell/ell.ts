import { u8, u16le, u32le } from '../bytes.js';
import { fail, type Result } from '../result.js';

/** CI values that open an Extended Link Layer (EN 13757-4). */
export function isEllCi(ci: number): boolean {
  return ci >= 0x8c && ci <= 0x8f;
}

export interface EllHeader {
  readonly ci: number;
  readonly offset: number;
  /** Communication control: bidirectional, response delay, synchronised, hop, priority, accessibility, repeated. */
  readonly cc: number;
  readonly acc: number;
  /** Second manufacturer/address (CI 0x8E/0x8F). */
  readonly m2?: number;
  readonly a2?: Uint8Array;
  /** Session number field, as transmitted (little-endian uint32), for CI 0x8D/0x8F. */
  readonly sn?: number;
  /** SN bits 29..31: 0 = none, 1 = AES-128-CTR; others are not defined for the ELL. */
  readonly securityMode: number;
  /** Offset of the payload CRC (= start of the encrypted span) for CI 0x8D/0x8F. */
  readonly payloadCrcOffset?: number;
  /** Offset where the next layer (AFL/TPL CI) starts, after the payload CRC when there is one. */
  readonly end: number;
}

const SIZES: Record<number, number> = { 140: 3, 141: 9, 142: 11, 143: 17 };

export function parseEll(b: Uint8Array, offset: number): Result<{ ell: EllHeader }> {
  const ci = u8(b, offset);
  const size = SIZES[ci];
  if (size === undefined) return fail('WMBUS_ERR_UNSUPPORTED', `CI 0x${ci.toString(16)} is not an ELL`);
  if (offset + size > b.length)
    return fail(
      'WMBUS_ERR_SHORT',
      `ELL CI 0x${ci.toString(16)} needs ${size} bytes, ${b.length - offset} left`,
    );
  const cc = u8(b, offset + 1);
  const acc = u8(b, offset + 2);
  if (ci === 0x8c) return { ok: true, ell: { ci, offset, cc, acc, securityMode: 0, end: offset + 3 } };
  if (ci === 0x8e)
    return {
      ok: true,
      ell: {
        ci,
        offset,
        cc,
        acc,
        m2: u16le(b, offset + 3),
        a2: b.slice(offset + 5, offset + 11),
        securityMode: 0,
        end: offset + 11,
      },
    };
  const snAt = ci === 0x8d ? offset + 3 : offset + 11;
  const sn = u32le(b, snAt);
  const base = {
    ci,
    offset,
    cc,
    acc,
    sn,
    securityMode: sn >>> 29,
    payloadCrcOffset: snAt + 4,
    end: snAt + 6,
  };
  if (ci === 0x8d) return { ok: true, ell: base };
  return { ok: true, ell: { ...base, m2: u16le(b, offset + 3), a2: b.slice(offset + 5, offset + 11) } };
}

/**
 * The ELL AES-CTR initial counter block: M(2) ‖ A(6 = ID, version, type) ‖ CC ‖ SN(4, as transmitted) ‖
 * FN 00 00 ‖ BC 00. M and A are the link layer's (bytes 2..9). For CI 0x8F (which also carries M2/A2) the
 * link-layer address is used as well; that variant was not exercised with a real meter.
 */
export function ellIv(telegram: Uint8Array, ell: EllHeader): Uint8Array {
  const iv = new Uint8Array(16);
  for (let i = 0; i < 8; i++) iv[i] = telegram[2 + i] ?? 0;
  iv[8] = ell.cc;
  const sn = ell.sn ?? 0;
  iv[9] = sn & 0xff;
  iv[10] = (sn >>> 8) & 0xff;
  iv[11] = (sn >>> 16) & 0xff;
  iv[12] = (sn >>> 24) & 0xff;
  return iv;
}

/** Human description of the CC bits, in the words wmbusmeters' analyzer uses. */
export function describeCc(cc: number): string {
  const parts: string[] = [];
  if (cc & 0x80) parts.push('bidir');
  parts.push(cc & 0x40 ? 'fast_resp' : 'slow_resp');
  if (cc & 0x20) parts.push('sync');
  if (cc & 0x10) parts.push('hop');
  if (cc & 0x08) parts.push('prio');
  if (cc & 0x04) parts.push('accessible');
  if (cc & 0x02) parts.push('repeated');
  return parts.join(' ');
}
