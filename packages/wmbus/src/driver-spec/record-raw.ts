import type { DecodedRecord } from '../records/parse-records.js';

/** The record's data bytes as an unsigned little-endian integer (LVAR length byte skipped). */
export function recordRawUnsigned(r: DecodedRecord): bigint {
  const hex = r.raw;
  const skip = (Number.parseInt(r.key.slice(0, 2), 16) & 0x0f) === 0x0d ? 2 : 0;
  let v = 0n;
  for (let i = hex.length - 2; i >= skip; i -= 2)
    v = (v << 8n) | BigInt(Number.parseInt(hex.slice(i, i + 2), 16));
  return v;
}

/** The raw integer of a record as a number: signed two's complement or unsigned; BCD when the DIF says so. */
export function recordRawNumber(r: DecodedRecord, signed: boolean): number | undefined {
  if (r.raw.length === 0) return undefined;
  const df = Number.parseInt(r.key.slice(0, 2), 16) & 0x0f;
  if (df >= 9 && df <= 0x0e && df !== 0x0d) {
    let v = 0;
    for (let i = r.raw.length - 2; i >= 0; i -= 2) {
      const hi = Number.parseInt(r.raw[i] ?? '0', 16);
      const lo = Number.parseInt(r.raw[i + 1] ?? '0', 16);
      if (hi > 9 || lo > 9) return undefined;
      v = v * 100 + hi * 10 + lo;
    }
    return v;
  }
  if (df === 5) return typeof r.value === 'number' ? r.value : undefined;
  const u = recordRawUnsigned(r);
  const bits = BigInt((r.raw.length / 2) * 8);
  if (signed && bits > 0n) return Number(BigInt.asIntN(Number(bits), u));
  return Number(u);
}
