import { u8 } from '../bytes.js';
import { crc16En13757, crc16En13757Update } from '../crc/crc16-en13757.js';
import { bytesToHex, hexToBytes } from '../hex.js';
import type { DecodedRecord } from '../records/parse-records.js';
import { fixedDataLength, parseRecordHeader, type RecordHeader } from '../records/record-header.js';
import { fail, type Result } from '../result.js';

/**
 * A compact-frame format (CI 0x79): the DIF/VIF headers of a full frame's records. The meter sends only the
 * data; the signature (CRC-16/EN-13757 over the concatenated headers, stored LE) says which format applies.
 */
export interface CompactFormat {
  readonly signature: number;
  /** The concatenated DIF..VIFE bytes. */
  readonly difvif: Uint8Array;
  readonly headers: readonly RecordHeader[];
}

export function formatSignatureHex(signature: number): string {
  return `0x${signature.toString(16).padStart(4, '0')}`;
}

/** Builds a format from its DIF/VIF bytes (as wmbusmeters lists them, e.g. 02FF2004134413615B6167). */
export function compactFormatFromDifVif(difvif: Uint8Array): Result<{ format: CompactFormat }> {
  const headers: RecordHeader[] = [];
  let i = 0;
  while (i < difvif.length) {
    const h = parseRecordHeader(difvif, i, difvif.length);
    if (!h.ok) return h;
    if (h.header.manufacturerData)
      return fail('WMBUS_ERR_RECORDS', 'a compact format cannot hold DIF 0x0F/0x1F');
    headers.push(h.header);
    i = h.header.headerEnd;
  }
  return { ok: true, format: { signature: crc16En13757(difvif), difvif: Uint8Array.from(difvif), headers } };
}

export function compactFormatFromHex(hex: string): Result<{ format: CompactFormat }> {
  const bytes = hexToBytes(hex);
  if (bytes === undefined) return fail('WMBUS_ERR_INPUT', `compact format "${hex}" is not hex`);
  return compactFormatFromDifVif(bytes);
}

/** The signature of the format a full frame's records define, without building the format. */
export function signatureOfRecords(
  stream: Uint8Array,
  records: readonly DecodedRecord[],
): number | undefined {
  let reg = 0;
  let any = false;
  for (const r of records) {
    if (r.quantity === 'manufacturer_data') break;
    reg = crc16En13757Update(reg, stream, r.offset, r.dataOffset);
    any = true;
  }
  return any ? ~reg & 0xffff : undefined;
}

/**
 * The format a full frame's records define (manufacturer-specific tails are not part of it), or undefined when
 * the frame has no records.
 */
export function compactFormatFromRecords(
  stream: Uint8Array,
  records: readonly DecodedRecord[],
): CompactFormat | undefined {
  const parts: number[] = [];
  for (const r of records) {
    if (r.quantity === 'manufacturer_data') break;
    for (let i = r.offset; i < r.dataOffset; i++) parts.push(u8(stream, i));
  }
  if (parts.length === 0) return undefined;
  const r = compactFormatFromDifVif(Uint8Array.from(parts));
  return r.ok ? r.format : undefined;
}

/**
 * Rebuilds the full record stream (headers + data) from a compact frame's data and checks the data CRC
 * (CRC-16/EN-13757 over the rebuilt stream). `dataOffsets[i]` is where record i's data sits in the telegram.
 */
export function expandCompactData(
  format: CompactFormat,
  b: Uint8Array,
  start: number,
  end: number,
  dataCrc: number,
): Result<{ stream: Uint8Array; dataOffsets: number[] }> {
  const dataOffsets: number[] = [];
  const lengths: number[] = [];
  let i = start;
  for (const h of format.headers) {
    let len = fixedDataLength(h.dataField);
    if (len === -1) {
      const lvar = u8(b, i);
      len =
        1 +
        (lvar <= 0xbf ? lvar : lvar <= 0xd9 ? lvar & 0x0f : lvar <= 0xef ? lvar - 0xe0 : 4 * (lvar - 0xec));
    }
    if (i + len > end)
      return fail(
        'WMBUS_ERR_LENGTH',
        `compact frame data too short for format ${formatSignatureHex(format.signature)}`,
      );
    dataOffsets.push(i);
    lengths.push(len);
    i += len;
  }
  if (i !== end)
    return fail(
      'WMBUS_ERR_LENGTH',
      `compact frame has ${end - i} bytes more than format ${formatSignatureHex(format.signature)} describes`,
    );
  const stream = new Uint8Array(format.difvif.length + (end - start));
  let o = 0;
  format.headers.forEach((h, n) => {
    stream.set(format.difvif.subarray(h.offset, h.headerEnd), o);
    o += h.headerEnd - h.offset;
    const at = dataOffsets[n] ?? 0;
    const len = lengths[n] ?? 0;
    stream.set(b.subarray(at, at + len), o);
    o += len;
  });
  const computed = crc16En13757(stream);
  if (computed !== dataCrc)
    return fail(
      'WMBUS_ERR_CRC',
      `compact data CRC ${formatSignatureHex(dataCrc)} does not match ${formatSignatureHex(computed)} for format ${formatSignatureHex(format.signature)}`,
    );
  return { ok: true, stream, dataOffsets };
}

export function difvifHex(format: CompactFormat): string {
  return bytesToHex(format.difvif);
}
