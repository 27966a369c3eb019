import { u16le } from '../bytes.js';
import { crc16En13757 } from '../crc/crc16-en13757.js';
import type { AesEngine } from '../crypto/aes-engine.js';
import { type EllHeader, ellIv, isEllCi, parseEll } from '../ell/ell.js';
import type { LinkFrame } from '../link/link-layer.js';
import type { Failure, WmbusErrorCode } from '../result.js';
import { type AflHeader, parseAfl } from '../tpl/afl.js';
import { describeSecurityMode, parseTpl, type TplHeader, tplMode5Iv } from '../tpl/tpl.js';

export interface OpenOptions {
  /** The meter's AES engine (from MeterDecodeState.aesFor) when a key is configured. */
  readonly aes?: AesEngine;
  /**
   * The encrypted span is already plaintext, as in wmbusmeters' test files (NOKEY): checked by its payload CRC
   * / 2F2F only. Never set this for radio traffic.
   */
  readonly preDecrypted?: boolean;
}

/** The layers of one telegram, with every encrypted span replaced by its plaintext. */
export interface OpenedTelegram {
  readonly frame: LinkFrame;
  /** Telegram bytes (stripped) with encrypted spans decrypted. */
  readonly plain: Uint8Array;
  readonly ell?: EllHeader;
  /** The payload CRC stored after the ELL SN and the one computed over the (decrypted) rest. */
  readonly payloadCrc?: { readonly stored: number; readonly computed: number };
  readonly afl?: AflHeader;
  readonly tpl?: TplHeader;
  /** Where an encrypted span starts and ends (ELL: payload CRC to end; TPL mode 5: the encrypted blocks). */
  readonly encryptedSpan?: { readonly start: number; readonly end: number; readonly layer: 'ell' | 'tpl' };
  readonly encrypted: boolean;
  /** A tolerance applied while opening (wmbusmeters-compatible), carried into the reading. */
  readonly tolerated?: string;
}

export type OpenResult =
  | { readonly ok: true; readonly opened: OpenedTelegram }
  | (Failure & { readonly partial: OpenedTelegram });

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function failed(code: WmbusErrorCode, detail: string, partial: OpenedTelegram): OpenResult {
  return { ok: false, code, detail, partial };
}

/**
 * Walks ELL → AFL → TPL, decrypting ELL AES-CTR and TPL mode 5 with the meter's key and checking the payload
 * CRC / 2F2F. A key given for a plaintext telegram is refused (WMBUS_ERR_NOT_ENCRYPTED). The input frame is
 * never modified: decryption works on a copy.
 */
export function openTelegram(frame: LinkFrame, options: OpenOptions): OpenResult {
  const o: Mutable<OpenedTelegram> = { frame, plain: frame.bytes, encrypted: false };
  const aes = options.aes;
  let at = 10;
  if (isEllCi(frame.header.ci)) {
    const e = parseEll(o.plain, at);
    if (!e.ok) return failed(e.code, e.detail, o);
    const ell = e.ell;
    o.ell = ell;
    at = ell.end;
    if (ell.payloadCrcOffset !== undefined) {
      const crcAt = ell.payloadCrcOffset;
      if (ell.securityMode > 1)
        return failed(
          'WMBUS_ERR_UNSUPPORTED',
          `ELL security mode ${ell.securityMode} is not supported (only AES-CTR)`,
          o,
        );
      const encrypted = ell.securityMode === 1;
      if (encrypted) {
        o.encrypted = true;
        o.encryptedSpan = { start: crcAt, end: o.plain.length, layer: 'ell' };
        if (aes !== undefined) {
          const copy = Uint8Array.from(o.plain);
          aes.ctrInto(ellIv(copy, ell), copy, crcAt);
          o.plain = copy;
        } else if (!options.preDecrypted) {
          return failed(
            'WMBUS_ERR_NO_KEY',
            'telegram is encrypted (ELL AES-CTR) and no key is configured',
            o,
          );
        }
      }
      o.payloadCrc = { stored: u16le(o.plain, crcAt), computed: crc16En13757(o.plain, crcAt + 2) };
      if (o.payloadCrc.stored !== o.payloadCrc.computed) {
        if (encrypted && aes !== undefined)
          return failed('WMBUS_ERR_WRONG_KEY', 'decrypted payload CRC failed check: the key is wrong', o);
        return failed('WMBUS_ERR_CRC', 'ELL payload CRC failed check', o);
      }
    }
  }
  if (at >= o.plain.length) return failed('WMBUS_ERR_SHORT', 'no transport layer after the link layer', o);
  if (o.plain[at] === 0x90) {
    const a = parseAfl(o.plain, at);
    if (!a.ok) return failed(a.code, a.detail, o);
    o.afl = a.afl;
    if (a.afl.moreFragments)
      return failed('WMBUS_ERR_UNSUPPORTED', 'fragmented telegrams (AFL) are not supported', o);
    at = a.afl.end;
    if (at >= o.plain.length) return failed('WMBUS_ERR_SHORT', 'no transport layer after the AFL', o);
  }
  const t = parseTpl(o.plain, at);
  if (!t.ok) return failed(t.code, t.detail, o);
  const tpl = t.tpl;
  o.tpl = tpl;
  if (tpl.securityMode === 5) {
    const start = tpl.end;
    const end = start + tpl.encryptedBlocks * 16;
    if (tpl.encryptedBlocks === 0)
      return failed('WMBUS_ERR_LENGTH', 'security mode 5 with zero encrypted blocks', o);
    if (end > o.plain.length)
      return failed('WMBUS_ERR_LENGTH', `${tpl.encryptedBlocks} encrypted blocks do not fit the telegram`, o);
    o.encrypted = true;
    o.encryptedSpan = { start, end, layer: 'tpl' };
    if (aes !== undefined) {
      const copy = Uint8Array.from(o.plain);
      copy.set(aes.cbcDecrypt(tplMode5Iv(tpl), copy.subarray(start, end)), start);
      o.plain = copy;
    } else if (!options.preDecrypted) {
      return failed('WMBUS_ERR_NO_KEY', 'telegram is encrypted (TPL mode 5) and no key is configured', o);
    }
    if (o.plain[start] !== 0x2f || o.plain[start + 1] !== 0x2f)
      return aes !== undefined
        ? failed('WMBUS_ERR_WRONG_KEY', 'decrypted data does not start with 2F2F: the key is wrong', o)
        : failed('WMBUS_ERR_CRC', 'pre-decrypted data does not start with 2F2F', o);
  } else if (tpl.securityMode === 7 && aes !== undefined) {
    const r = openMode7(o, tpl, aes);
    if (r !== undefined) return failed(r.code, r.detail, o);
  } else if (tpl.securityMode === 7 && options.preDecrypted) {
    // wmbusmeters' test telegrams carry mode 7 content already decrypted: read it, checked by its 2F2F.
    const start = tpl.end;
    o.encrypted = true;
    o.encryptedSpan = {
      start,
      end: Math.min(o.plain.length, start + tpl.encryptedBlocks * 16),
      layer: 'tpl',
    };
    if (o.plain[start] !== 0x2f || o.plain[start + 1] !== 0x2f)
      return failed('WMBUS_ERR_CRC', 'pre-decrypted data does not start with 2F2F', o);
  } else if (tpl.securityMode >= 16) {
    // Modes 16..31 are manufacturer-specific; wmbusmeters reads such content as it is. So do we, visibly.
    o.tolerated = `TPL security mode ${tpl.securityMode} (manufacturer specific) read as plaintext`;
  } else if (tpl.securityMode !== 0) {
    return failed(
      'WMBUS_ERR_UNSUPPORTED',
      `TPL ${describeSecurityMode(tpl.securityMode)} is not supported`,
      o,
    );
  }
  if (aes !== undefined && !o.encrypted)
    return failed(
      'WMBUS_ERR_NOT_ENCRYPTED',
      'a key is configured but the telegram is not encrypted: refused',
      o,
    );
  return { ok: true, opened: o };
}

/**
 * Security mode 7: the AFL MAC (CMAC over MCL ‖ MCR ‖ TPL to the end) is checked with the derived MAC key,
 * then the encrypted blocks are decrypted (AES-CBC, zero IV) with the derived encryption key and checked by
 * their 2F2F. Mutates `o` (plain, span); returns the failure, if any.
 */
function openMode7(
  o: Mutable<OpenedTelegram>,
  tpl: TplHeader,
  aes: AesEngine,
): { code: WmbusErrorCode; detail: string } | undefined {
  const afl = o.afl;
  if (afl?.mcr === undefined)
    return { code: 'WMBUS_ERR_UNSUPPORTED', detail: 'security mode 7 without an AFL message counter' };
  const start = tpl.end;
  const end = start + tpl.encryptedBlocks * 16;
  if (tpl.encryptedBlocks === 0 || end > o.plain.length)
    return {
      code: 'WMBUS_ERR_LENGTH',
      detail: `${tpl.encryptedBlocks} encrypted blocks do not fit the telegram`,
    };
  const keys = aes.mode7(afl.mcr, tpl.ivAddress.subarray(2, 6));
  o.encrypted = true;
  o.encryptedSpan = { start, end, layer: 'tpl' };
  if (afl.mac !== undefined) {
    const head = afl.mcl === undefined ? [] : [afl.mcl];
    const message = Uint8Array.from([...head, ...afl.mcr, ...o.plain.subarray(tpl.offset)]);
    const mac = keys.mac(message);
    for (let i = 0; i < afl.mac.length; i++)
      if (mac[i] !== afl.mac[i])
        return {
          code: 'WMBUS_ERR_WRONG_KEY',
          detail: 'AFL MAC check failed: the key is wrong (or the telegram altered)',
        };
  }
  const copy = Uint8Array.from(o.plain);
  copy.set(keys.enc.cbcDecrypt(new Uint8Array(16), copy.subarray(start, end)), start);
  o.plain = copy;
  if (o.plain[start] !== 0x2f || o.plain[start + 1] !== 0x2f)
    return {
      code: 'WMBUS_ERR_WRONG_KEY',
      detail: 'decrypted data does not start with 2F2F: the key is wrong',
    };
  return undefined;
}
