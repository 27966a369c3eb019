import { formatSignatureHex } from '../compact/compact-format.js';
import { AesEngine } from '../crypto/aes-engine.js';
import { decodeTelegram, extractValues } from '../decode/decode-telegram.js';
import { openTelegram } from '../decode/open-telegram.js';
import { readApplication } from '../decode/read-application.js';
import { builtInDriverRegistry } from '../drivers/built-in-drivers.js';
import type { DriverRegistry } from '../drivers/driver-registry.js';
import { describeCc } from '../ell/ell.js';
import { bytesToHex } from '../hex.js';
import { type FrameFormatOption, frameFormatCandidates, parseLinkLayer } from '../link/link-layer.js';
import { describeSecurityMode, describeTplCi } from '../tpl/tpl.js';
import type { AnalysisLine } from './analysis-line.js';
import { recordLines } from './record-lines.js';

export interface AnalyzeOptions {
  readonly key?: Uint8Array;
  readonly preDecrypted?: boolean;
  readonly frameFormat?: FrameFormatOption;
  readonly drivers?: DriverRegistry;
}

const ELL_NAMES: Record<number, string> = {
  140: 'ELL I (CC, ACC)',
  141: 'ELL II (CC, ACC, SN, payload CRC)',
  142: 'ELL III (CC, ACC, M2, A2)',
  143: 'ELL IV (CC, ACC, M2, A2, SN, payload CRC)',
};

const h2 = (n: number): string => n.toString(16).padStart(2, '0');
const h4 = (n: number): string => n.toString(16).padStart(4, '0');

/**
 * Shows a telegram field by field, like `wmbusmeters --analyze[=key]`: the link layer, the ELL, what is
 * encrypted, the transport header and every record with its meaning (C! = used by the driver, C? = not).
 * Pure; never throws on bad input (the failure is the last line).
 */
export function analyzeTelegram(bytes: Uint8Array, options: AnalyzeOptions = {}): AnalysisLine[] {
  const lines: AnalysisLine[] = [];
  if (!(bytes instanceof Uint8Array)) return [{ field: 'result', text: 'WMBUS_ERR_INPUT: not a byte array' }];
  if (options.key !== undefined && options.key.length !== 16)
    return [{ field: 'result', text: 'WMBUS_ERR_INPUT: key must be 16 bytes' }];
  const decodeOpts = {
    ...(options.key ? { key: options.key } : {}),
    ...(options.preDecrypted ? { preDecrypted: true } : {}),
    ...(options.drivers ? { drivers: options.drivers } : {}),
  };
  const requested = options.frameFormat ?? 'auto';
  const candidates = requested === 'auto' ? frameFormatCandidates(bytes) : [requested];
  const chosen =
    candidates.find((c) => decodeTelegram(bytes, { ...decodeOpts, frameFormat: c }).ok) ??
    candidates[0] ??
    'stripped';
  const link = parseLinkLayer(bytes, { frameFormat: chosen });
  if (!link.ok) return [{ field: 'result', text: `${link.code}: ${link.detail}` }];
  const { header, bytes: t, dllCrc } = link.frame;
  const drivers = options.drivers ?? builtInDriverRegistry;
  const driver = drivers.find(header.manufacturer, header.version, header.deviceType);
  lines.push({
    field: 'frame',
    text:
      dllCrc === 'none'
        ? 'no DLL CRCs (as the stick delivers)'
        : `DLL CRCs of format ${dllCrc} verified and removed`,
  });
  lines.push({
    field: 'driver',
    text: driver ? `${driver.name} (${driver.description})` : 'none for this meter',
  });
  lines.push({ offset: 0, hex: h2(t[0] ?? 0), field: 'length', text: `${t.length - 1} bytes follow` });
  lines.push({
    offset: 1,
    hex: h2(header.c),
    field: 'dll-c',
    text: header.c === 0x44 ? 'from meter SND_NR' : 'C field',
  });
  lines.push({ offset: 2, hex: bytesToHex(t, 2, 4), field: 'dll-mfct', text: header.manufacturer });
  lines.push({ offset: 4, hex: bytesToHex(t, 4, 8), field: 'dll-id', text: header.id });
  lines.push({ offset: 8, hex: h2(header.version), field: 'dll-version' });
  lines.push({ offset: 9, hex: h2(header.deviceType), field: 'dll-type', text: header.media });
  const aes = options.key ? new AesEngine(options.key) : undefined;
  let opened = openTelegram(link.frame, {
    ...(aes ? { aes } : {}),
    ...(options.preDecrypted ? { preDecrypted: true } : {}),
  });
  if (!opened.ok && opened.code === 'WMBUS_ERR_NOT_ENCRYPTED') {
    // Show the plaintext anyway; a gateway configured with this key refuses it.
    lines.push({
      field: 'warning',
      text: 'a key was given but the telegram is not encrypted (WMBUS_ERR_NOT_ENCRYPTED)',
    });
    opened = openTelegram(link.frame, {});
  }
  const o = opened.ok ? opened.opened : opened.partial;
  const p = o.plain;
  if (o.ell) {
    const e = o.ell;
    lines.push({ offset: e.offset, hex: h2(e.ci), field: 'ell-ci-field', text: ELL_NAMES[e.ci] ?? 'ELL' });
    lines.push({ offset: e.offset + 1, hex: h2(e.cc), field: 'ell-cc', text: describeCc(e.cc) });
    lines.push({ offset: e.offset + 2, hex: h2(e.acc), field: 'ell-acc' });
    if (e.m2 !== undefined && e.a2 !== undefined) {
      lines.push({ offset: e.offset + 3, hex: bytesToHex(t, e.offset + 3, e.offset + 5), field: 'ell-m2' });
      lines.push({ offset: e.offset + 5, hex: bytesToHex(e.a2), field: 'ell-a2' });
    }
    if (e.sn !== undefined && e.payloadCrcOffset !== undefined) {
      const mode =
        e.securityMode === 0 ? 'no encryption' : e.securityMode === 1 ? 'AES_CTR' : `mode ${e.securityMode}`;
      lines.push({
        offset: e.payloadCrcOffset - 4,
        hex: bytesToHex(t, e.payloadCrcOffset - 4, e.payloadCrcOffset),
        field: 'sn',
        text: `${mode}, session ${e.sn & 0x0f}, time ${(e.sn >>> 4) & 0x1ffffff}`,
      });
    }
  }
  const span = o.encryptedSpan;
  const decrypted = span !== undefined && (aes !== undefined || options.preDecrypted === true);
  if (o.payloadCrc && o.ell?.payloadCrcOffset !== undefined) {
    const ok = o.payloadCrc.stored === o.payloadCrc.computed;
    lines.push({
      offset: o.ell.payloadCrcOffset,
      hex: bytesToHex(p, o.ell.payloadCrcOffset, o.ell.payloadCrcOffset + 2),
      field: 'payload crc',
      text: `calculated ${h4(((o.payloadCrc.computed & 0xff) << 8) | (o.payloadCrc.computed >> 8))} ${ok ? 'OK' : 'ERROR'}`,
    });
  }
  if (o.tolerated !== undefined) lines.push({ field: 'tolerated', text: o.tolerated });
  if (!opened.ok) {
    if (span && (opened.code === 'WMBUS_ERR_NO_KEY' || opened.code === 'WMBUS_ERR_WRONG_KEY')) {
      const at = span.layer === 'ell' && o.payloadCrc ? span.start + 2 : span.start;
      lines.push({
        offset: at,
        hex: bytesToHex(t, at, span.end),
        mark: 'CE',
        field:
          opened.code === 'WMBUS_ERR_NO_KEY' ? 'encrypted, no key given' : 'failed decryption. Wrong key?',
      });
    }
    lines.push({ field: 'result', text: `${opened.code}: ${opened.detail}` });
    return lines;
  }
  if (o.afl)
    lines.push({
      offset: o.afl.offset,
      hex: bytesToHex(p, o.afl.offset, o.afl.end),
      field: 'afl',
      text: `FCL 0x${h4(o.afl.fcl)}`,
    });
  const tpl = o.tpl;
  if (tpl === undefined) return lines;
  lines.push({ offset: tpl.offset, hex: h2(tpl.ci), field: 'tpl-ci-field', text: describeTplCi(tpl.ci) });
  if (tpl.kind === 'short' || tpl.kind === 'long') {
    if (tpl.longAddress)
      lines.push({
        offset: tpl.offset + 1,
        hex: bytesToHex(p, tpl.offset + 1, tpl.offset + 9),
        field: 'tpl-address',
        text: tpl.longAddress.id,
      });
    const h = tpl.end - 4;
    lines.push({ offset: h, hex: h2(tpl.acc ?? 0), field: 'tpl-acc' });
    lines.push({ offset: h + 1, hex: h2(tpl.status ?? 0), field: 'tpl-sts' });
    lines.push({
      offset: h + 2,
      hex: bytesToHex(p, h + 2, h + 4),
      field: 'tpl-cfg',
      text: `${describeSecurityMode(tpl.securityMode)}, ${tpl.encryptedBlocks} encrypted blocks`,
    });
  }
  if (span?.layer === 'tpl' && decrypted)
    lines.push({
      offset: span.start,
      hex: bytesToHex(p, span.start, span.start + 2),
      field: '2f2f decrypt check',
      text: 'OK',
    });
  const app = readApplication(o, {
    drivers,
    ...(driver ? { driver } : {}),
  });
  if (tpl.kind === 'compact') {
    const c = app.ok ? app.app.compact : app.compact;
    if (c) {
      lines.push({
        offset: c.offset,
        hex: bytesToHex(p, c.offset, c.offset + 2),
        field: 'format signature',
        text: `${formatSignatureHex(c.signature)}${c.source ? `, ${c.source}` : ', unknown'}`,
      });
      lines.push({ offset: c.offset + 2, hex: bytesToHex(p, c.offset + 2, c.offset + 4), field: 'data crc' });
    }
  }
  if (!app.ok) {
    lines.push({ field: 'result', text: `${app.code}: ${app.detail}` });
    return lines;
  }
  const used = driver ? [...extractValues(driver, app.app.records).used] : [];
  app.app.records.forEach((r, i) => {
    if (app.app.frame === 'compact')
      lines.push(...recordLines(r, app.app.compact?.dataOffsets?.[i] ?? r.dataOffset, undefined, used));
    else lines.push(...recordLines(r, r.dataOffset, r.offset, used));
  });
  if (app.app.tolerated !== undefined) lines.push({ field: 'tolerated', text: app.app.tolerated });
  const values = Object.fromEntries(used.map(([name, fv]) => [name, fv.value]));
  lines.push({
    field: 'result',
    text: driver
      ? `ok ${JSON.stringify(values)}`
      : `WMBUS_ERR_NO_DRIVER: ${app.app.records.length} generic records (no driver for ${header.manufacturer} 0x${h2(header.version)} 0x${h2(header.deviceType)})`,
  });
  return lines;
}
