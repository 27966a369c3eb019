import { u8, u16le } from '../bytes.js';
import { bytesToHex } from '../hex.js';
import { fail, type Result } from '../result.js';

export type TplKind = 'none' | 'compact' | 'short' | 'long';

/** Transport-layer header (EN 13757-7 / OMS) after the ELL/AFL. */
export interface TplHeader {
  readonly ci: number;
  readonly offset: number;
  readonly kind: TplKind;
  readonly acc?: number;
  readonly status?: number;
  /** Configuration field (little-endian); bits 8..12 = security mode, bits 4..7 = encrypted blocks. */
  readonly cfg?: number;
  readonly securityMode: number;
  readonly encryptedBlocks: number;
  /** For a long header: the address it carries (the meter's own). */
  readonly longAddress?: {
    readonly id: string;
    readonly mField: number;
    readonly version: number;
    readonly deviceType: number;
  };
  /** M(2) ‖ A(6) used by security mode 5's IV: the long header's, else the link layer's. */
  readonly ivAddress: Uint8Array;
  /** Offset after the header: records (or, for a compact frame, the format signature). */
  readonly end: number;
}

const TPL_KIND: Record<number, TplKind> = { 120: 'none', 121: 'compact', 122: 'short', 114: 'long' };

export function isTplCi(ci: number): boolean {
  return TPL_KIND[ci] !== undefined;
}

export function describeTplCi(ci: number): string {
  switch (TPL_KIND[ci]) {
    case 'none':
      return 'EN 13757-3 application layer (no tplh)';
    case 'compact':
      return 'EN 13757-3 application layer with compact frame (no tplh)';
    case 'short':
      return 'EN 13757-3 application layer (short tplh)';
    case 'long':
      return 'EN 13757-3 application layer (long tplh)';
    default:
      return 'unknown CI';
  }
}

export function parseTpl(b: Uint8Array, offset: number): Result<{ tpl: TplHeader }> {
  const ci = u8(b, offset);
  const kind = TPL_KIND[ci];
  if (kind === undefined)
    return fail(
      'WMBUS_ERR_UNSUPPORTED',
      `transport CI 0x${ci.toString(16).padStart(2, '0')} is not supported`,
    );
  const linkAddress = b.slice(2, 10);
  if (kind === 'none' || kind === 'compact')
    return {
      ok: true,
      tpl: { ci, offset, kind, securityMode: 0, encryptedBlocks: 0, ivAddress: linkAddress, end: offset + 1 },
    };
  const size = kind === 'short' ? 5 : 13;
  if (offset + size > b.length)
    return fail('WMBUS_ERR_SHORT', `${kind} TPL header needs ${size} bytes, ${b.length - offset} left`);
  const h = kind === 'short' ? offset + 1 : offset + 9;
  const cfg = u16le(b, h + 2);
  const base = {
    ci,
    offset,
    kind,
    acc: u8(b, h),
    status: u8(b, h + 1),
    cfg,
    securityMode: (cfg >> 8) & 0x1f,
    encryptedBlocks: (cfg >> 4) & 0x0f,
    // Security mode 7 adds a configuration field extension byte after CFG.
    end: offset + size + (((cfg >> 8) & 0x1f) === 7 ? 1 : 0),
  };
  if (base.end > b.length)
    return fail('WMBUS_ERR_SHORT', 'TPL header with mode 7 CFG extension is truncated');
  if (kind === 'short') return { ok: true, tpl: { ...base, ivAddress: linkAddress } };
  const a = offset + 1;
  const ivAddress = Uint8Array.of(
    u8(b, a + 4),
    u8(b, a + 5),
    u8(b, a),
    u8(b, a + 1),
    u8(b, a + 2),
    u8(b, a + 3),
    u8(b, a + 6),
    u8(b, a + 7),
  );
  const longAddress = {
    id: bytesToHex(Uint8Array.of(u8(b, a + 3), u8(b, a + 2), u8(b, a + 1), u8(b, a))),
    mField: u16le(b, a + 4),
    version: u8(b, a + 6),
    deviceType: u8(b, a + 7),
  };
  return { ok: true, tpl: { ...base, ivAddress, longAddress } };
}

/** Security mode 5 IV: M(2) ‖ A(6) ‖ ACC repeated 8 times. */
export function tplMode5Iv(tpl: TplHeader): Uint8Array {
  const iv = new Uint8Array(16);
  iv.set(tpl.ivAddress, 0);
  iv.fill(tpl.acc ?? 0, 8);
  return iv;
}

export function describeSecurityMode(mode: number): string {
  switch (mode) {
    case 0:
      return 'no encryption';
    case 5:
      return 'AES-CBC with IV (mode 5)';
    case 7:
      return 'AES-CBC without IV, CMAC-derived key and AFL MAC (mode 7)';
    case 10:
      return 'AES-CCM (mode 10)';
    default:
      return `security mode ${mode}`;
  }
}
