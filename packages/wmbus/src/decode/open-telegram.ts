import { u16le } from '../bytes.js';
import { crc16En13757 } from '../crc/crc16-en13757.js';
import type { AesEngine } from '../crypto/aes-engine.js';
import { type EllHeader, ellIv, isEllCi, parseEll } from '../ell/ell.js';
import type { LinkFrame } from '../link/link-layer.js';
import { type Failure, fail } from '../result.js';
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
}

export type OpenResult =
  | { readonly ok: true; readonly opened: OpenedTelegram }
  | (Failure & { readonly partial: OpenedTelegram });

/**
 * Walks ELL → AFL → TPL, decrypting ELL AES-CTR and TPL mode 5 with the meter's key and checking the payload
 * CRC / 2F2F. A key given for a plaintext telegram is refused (WMBUS_ERR_NOT_ENCRYPTED).
 */
export function openTelegram(frame: LinkFrame, options: OpenOptions): OpenResult {
  let plain = frame.bytes;
  let opened: OpenedTelegram = { frame, plain, encrypted: false };
  const failWith = (code: Failure['code'], detail: string): OpenResult => ({
    ...fail(code, detail),
    partial: opened,
  });
  let at = 10;
  if (isEllCi(frame.header.ci)) {
    const e = parseEll(plain, at);
    if (!e.ok) return failWith(e.code, e.detail);
    const ell = e.ell;
    opened = { ...opened, ell };
    at = ell.end;
    if (ell.payloadCrcOffset !== undefined) {
      const crcAt = ell.payloadCrcOffset;
      if (ell.securityMode > 1)
        return failWith(
          'WMBUS_ERR_UNSUPPORTED',
          `ELL security mode ${ell.securityMode} is not supported (only AES-CTR)`,
        );
      const encrypted = ell.securityMode === 1;
      if (encrypted) {
        opened = { ...opened, encrypted, encryptedSpan: { start: crcAt, end: plain.length, layer: 'ell' } };
        if (options.aes !== undefined) {
          const clear = options.aes.ctr(ellIv(plain, ell), plain.subarray(crcAt));
          plain = Uint8Array.from(plain);
          plain.set(clear, crcAt);
        } else if (!options.preDecrypted) {
          return failWith('WMBUS_ERR_NO_KEY', 'telegram is encrypted (ELL AES-CTR) and no key is configured');
        }
      }
      const payloadCrc = { stored: u16le(plain, crcAt), computed: crc16En13757(plain, crcAt + 2) };
      opened = { ...opened, plain, payloadCrc };
      if (payloadCrc.stored !== payloadCrc.computed) {
        if (encrypted && options.aes !== undefined)
          return failWith('WMBUS_ERR_WRONG_KEY', 'decrypted payload CRC failed check: the key is wrong');
        return failWith('WMBUS_ERR_CRC', 'ELL payload CRC failed check');
      }
    }
  }
  if (at >= plain.length) return failWith('WMBUS_ERR_SHORT', 'no transport layer after the link layer');
  if (plain[at] === 0x90) {
    const a = parseAfl(plain, at);
    if (!a.ok) return failWith(a.code, a.detail);
    opened = { ...opened, afl: a.afl };
    if (a.afl.moreFragments)
      return failWith('WMBUS_ERR_UNSUPPORTED', 'fragmented telegrams (AFL) are not supported');
    at = a.afl.end;
    if (at >= plain.length) return failWith('WMBUS_ERR_SHORT', 'no transport layer after the AFL');
  }
  const t = parseTpl(plain, at);
  if (!t.ok) return failWith(t.code, t.detail);
  const tpl = t.tpl;
  opened = { ...opened, tpl };
  if (tpl.securityMode === 5) {
    const start = tpl.end;
    const end = start + tpl.encryptedBlocks * 16;
    if (tpl.encryptedBlocks === 0)
      return failWith('WMBUS_ERR_LENGTH', 'security mode 5 with zero encrypted blocks');
    if (end > plain.length)
      return failWith('WMBUS_ERR_LENGTH', `${tpl.encryptedBlocks} encrypted blocks do not fit the telegram`);
    opened = { ...opened, encrypted: true, encryptedSpan: { start, end, layer: 'tpl' } };
    if (options.aes !== undefined) {
      const clear = options.aes.cbcDecrypt(tplMode5Iv(tpl), plain.subarray(start, end));
      plain = Uint8Array.from(plain);
      plain.set(clear, start);
      opened = { ...opened, plain };
    } else if (!options.preDecrypted) {
      return failWith('WMBUS_ERR_NO_KEY', 'telegram is encrypted (TPL mode 5) and no key is configured');
    }
    if (plain[start] !== 0x2f || plain[start + 1] !== 0x2f)
      return options.aes !== undefined
        ? failWith('WMBUS_ERR_WRONG_KEY', 'decrypted data does not start with 2F2F: the key is wrong')
        : failWith('WMBUS_ERR_CRC', 'pre-decrypted data does not start with 2F2F');
  } else if (tpl.securityMode !== 0) {
    return failWith(
      'WMBUS_ERR_UNSUPPORTED',
      `TPL ${describeSecurityMode(tpl.securityMode)} is not supported`,
    );
  }
  if (options.aes !== undefined && !opened.encrypted)
    return failWith(
      'WMBUS_ERR_NOT_ENCRYPTED',
      'a key is configured but the telegram is not encrypted: refused',
    );
  return { ok: true, opened };
}
