import { u8 } from '../bytes.js';
import { bytesToHex } from '../hex.js';
import { fail, type Result } from '../result.js';
import { fixedDataLength, type RecordHeader } from './record-header.js';

export interface RecordData {
  readonly value: number | string;
  /** The data bytes as transmitted, hex. */
  readonly raw: string;
  readonly length: number;
}

/** Reads and scales the data of one record whose header ends at `offset`. */
export function readRecordData(
  b: Uint8Array,
  offset: number,
  end: number,
  header: RecordHeader,
): Result<{ data: RecordData }> {
  if (header.manufacturerData) {
    const raw = bytesToHex(b, offset, end);
    return { ok: true, data: { value: raw, raw, length: end - offset } };
  }
  const fixed = fixedDataLength(header.dataField);
  if (fixed === -1) return readVariable(b, offset, end, header);
  if (offset + fixed > end)
    return fail(
      'WMBUS_ERR_RECORDS',
      `record ${header.key} at offset ${header.offset} needs ${fixed} data bytes`,
    );
  const raw = bytesToHex(b, offset, offset + fixed);
  const df = header.dataField;
  let number: number | undefined;
  if (fixed === 0) return { ok: true, data: { value: '', raw, length: 0 } };
  const kind = header.info.kind;
  if ((kind === 'date' || kind === 'datetime') && df !== 5 && df < 9) {
    return { ok: true, data: { value: dateValue(b.subarray(offset, offset + fixed)), raw, length: fixed } };
  }
  if (df === 5) number = new DataView(b.buffer, b.byteOffset + offset, 4).getFloat32(0, true);
  else if (df >= 9) {
    const bcd = bcdValue(b.subarray(offset, offset + fixed));
    if (bcd === undefined) return { ok: true, data: { value: raw, raw, length: fixed } };
    number = bcd;
  } else number = signedLeAt(b, offset, fixed);
  if (kind === 'number') number = scale(number, header);
  // A real (DIF 5) can be NaN or infinite; JSON cannot carry those, so such a value stays raw hex.
  return { ok: true, data: { value: Number.isFinite(number) ? number : raw, raw, length: fixed } };
}

function readVariable(
  b: Uint8Array,
  offset: number,
  end: number,
  header: RecordHeader,
): Result<{ data: RecordData }> {
  if (offset >= end) return fail('WMBUS_ERR_RECORDS', `record ${header.key} has no LVAR byte`);
  const lvar = u8(b, offset);
  const start = offset + 1;
  let len: number;
  if (lvar <= 0xbf) len = lvar;
  else if (lvar <= 0xc9) len = lvar - 0xc0;
  else if (lvar >= 0xd0 && lvar <= 0xd9) len = lvar - 0xd0;
  else if (lvar >= 0xe0 && lvar <= 0xef) len = lvar - 0xe0;
  else if (lvar >= 0xf0 && lvar <= 0xf4) len = 4 * (lvar - 0xec);
  else return fail('WMBUS_ERR_RECORDS', `reserved LVAR 0x${lvar.toString(16)} in record ${header.key}`);
  if (start + len > end) return fail('WMBUS_ERR_RECORDS', `variable-length record ${header.key} truncated`);
  const data = b.subarray(start, start + len);
  const raw = bytesToHex(b, offset, start + len);
  let value: number | string;
  if (lvar <= 0xbf) value = String.fromCharCode(...Array.from(data).reverse());
  else if (lvar <= 0xd9) {
    const bcd = bcdValue(data);
    value = bcd === undefined ? raw : lvar >= 0xd0 ? -bcd : bcd;
  } else value = len <= 6 ? signedLe(data) : bytesToHex(data);
  if (typeof value === 'number' && header.info.kind === 'number') value = scale(value, header);
  return { ok: true, data: { value, raw, length: len + 1 } };
}

function scale(raw: number, header: RecordHeader): number {
  const p = header.info.exp + header.correctionExp;
  const v = header.info.mult === 1 ? raw : raw * header.info.mult;
  return p >= 0 ? v * 10 ** p : v / 10 ** -p;
}

/** Little-endian two's-complement integer of 1..8 bytes. */
export function signedLe(data: Uint8Array): number {
  return signedLeAt(data, 0, data.length);
}

function signedLeAt(b: Uint8Array, offset: number, n: number): number {
  if (n === 0) return 0;
  if (n > 6) {
    let big = 0n;
    for (let i = n - 1; i >= 0; i--) big = (big << 8n) | BigInt(b[offset + i] ?? 0);
    return Number(BigInt.asIntN(n * 8, big));
  }
  let v = 0;
  for (let i = n - 1; i >= 0; i--) v = v * 256 + (b[offset + i] ?? 0);
  const limit = 2 ** (8 * n - 1);
  return v >= limit ? v - 2 * limit : v;
}

/** BCD, least significant byte first; a top nibble 0xF means negative. Undefined for non-BCD nibbles. */
export function bcdValue(data: Uint8Array): number | undefined {
  let v = 0;
  let negative = false;
  for (let i = data.length - 1; i >= 0; i--) {
    const byte = data[i] ?? 0;
    let hi = byte >> 4;
    const lo = byte & 0x0f;
    if (i === data.length - 1 && hi === 0x0f) {
      negative = true;
      hi = 0;
    }
    if (hi > 9 || lo > 9) return undefined;
    v = v * 100 + hi * 10 + lo;
  }
  return negative ? -v : v;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Date type G (2 bytes), date+time type F (4 bytes) or type I (6 bytes, with seconds). */
export function dateValue(d: Uint8Array): string {
  if (d.length === 2) {
    const year = 2000 + (((u8(d, 1) & 0xf0) >> 1) | ((u8(d, 0) & 0xe0) >> 5));
    return `${year}-${pad(u8(d, 1) & 0x0f)}-${pad(u8(d, 0) & 0x1f)}`;
  }
  if (d.length === 4) {
    const year = 2000 + (((u8(d, 3) & 0xf0) >> 1) | ((u8(d, 2) & 0xe0) >> 5));
    return `${year}-${pad(u8(d, 3) & 0x0f)}-${pad(u8(d, 2) & 0x1f)} ${pad(u8(d, 1) & 0x1f)}:${pad(u8(d, 0) & 0x3f)}`;
  }
  if (d.length === 6) {
    const year = 2000 + (((u8(d, 4) & 0xf0) >> 1) | ((u8(d, 3) & 0xe0) >> 5));
    return `${year}-${pad(u8(d, 4) & 0x0f)}-${pad(u8(d, 3) & 0x1f)} ${pad(u8(d, 2) & 0x1f)}:${pad(u8(d, 1) & 0x3f)}:${pad(u8(d, 0) & 0x3f)}`;
  }
  return bytesToHex(d);
}
