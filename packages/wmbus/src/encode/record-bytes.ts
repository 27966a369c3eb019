/** Little helpers for building record streams in the encoders. */

export function int32le(v: number): number[] {
  const x = Math.round(v) | 0;
  return [x & 0xff, (x >> 8) & 0xff, (x >> 16) & 0xff, (x >>> 24) & 0xff];
}

export function int16le(v: number): number[] {
  const x = Math.round(v) & 0xffff;
  return [x & 0xff, x >> 8];
}

export function int8(v: number): number[] {
  return [Math.round(v) & 0xff];
}

/** One record to encode: [DIF..VIFE bytes, data bytes]. */
export type RecordSpec = readonly [readonly number[], readonly number[]];

/** A record list → full stream, DIF/VIF signature bytes and data only. */
export function recordStreams(records: readonly RecordSpec[]): {
  full: Uint8Array;
  difvif: Uint8Array;
  data: Uint8Array;
} {
  const full: number[] = [];
  const difvif: number[] = [];
  const data: number[] = [];
  for (const [h, d] of records) {
    full.push(...h, ...d);
    difvif.push(...h);
    data.push(...d);
  }
  return { full: Uint8Array.from(full), difvif: Uint8Array.from(difvif), data: Uint8Array.from(data) };
}
