import type { ReadingValue } from '../advertisement.js';
import { bytesToHex, macFromBytes } from '../bytes.js';
import type { ReaderType } from './definition.js';

/** Reads a number (or text) at a fixed offset; the caller has checked the length. */
export type RawReader = (data: Uint8Array, at: number) => number;
export type TextReader = (data: Uint8Array, at: number) => string;

const view = new DataView(new ArrayBuffer(4));

const NUMERIC: Record<string, readonly [number, RawReader]> = {
  u8: [1, (d, i) => d[i]!],
  s8: [1, (d, i) => (d[i]! << 24) >> 24],
  u16le: [2, (d, i) => d[i]! | (d[i + 1]! << 8)],
  u16be: [2, (d, i) => (d[i]! << 8) | d[i + 1]!],
  s16le: [2, (d, i) => ((d[i + 1]! << 24) >> 16) | d[i]!],
  s16be: [2, (d, i) => ((d[i]! << 24) >> 16) | d[i + 1]!],
  u24le: [3, (d, i) => d[i]! | (d[i + 1]! << 8) | (d[i + 2]! << 16)],
  u24be: [3, (d, i) => (d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!],
  s24le: [3, (d, i) => ((d[i + 2]! << 24) >> 8) | (d[i + 1]! << 8) | d[i]!],
  s24be: [3, (d, i) => ((d[i]! << 24) >> 8) | (d[i + 1]! << 8) | d[i + 2]!],
  u32le: [4, (d, i) => (d[i]! | (d[i + 1]! << 8) | (d[i + 2]! << 16)) + d[i + 3]! * 0x1000000],
  u32be: [4, (d, i) => d[i]! * 0x1000000 + ((d[i + 1]! << 16) | (d[i + 2]! << 8) | d[i + 3]!)],
  s32le: [4, (d, i) => d[i]! | (d[i + 1]! << 8) | (d[i + 2]! << 16) | (d[i + 3]! << 24)],
  s32be: [4, (d, i) => (d[i]! << 24) | (d[i + 1]! << 16) | (d[i + 2]! << 8) | d[i + 3]!],
  f32le: [
    4,
    (d, i) => {
      for (let k = 0; k < 4; k++) view.setUint8(k, d[i + k]!);
      return view.getFloat32(0, true);
    },
  ],
  f32be: [
    4,
    (d, i) => {
      for (let k = 0; k < 4; k++) view.setUint8(k, d[i + k]!);
      return view.getFloat32(0, false);
    },
  ],
};

export type Reader =
  | { kind: 'number'; size: number; read: RawReader }
  | { kind: 'text'; size: number; read: TextReader };

/** The reader for `type`, or `undefined` when the type is not in the vocabulary. */
export function readerFor(type: ReaderType | string): Reader | undefined {
  const numeric = NUMERIC[type];
  if (numeric !== undefined) return { kind: 'number', size: numeric[0], read: numeric[1] };
  if (type === 'mac') return { kind: 'text', size: 6, read: (d, i) => macFromBytes(d, i) };
  if (type === 'mac_reversed') {
    return {
      kind: 'text',
      size: 6,
      read: (d, i) => macFromBytes(Uint8Array.from(d.subarray(i, i + 6)).reverse()),
    };
  }
  const ascii = /^ascii([1-9][0-9]?)$/.exec(type);
  if (ascii !== null) {
    const size = Number(ascii[1]);
    // Printable ASCII up to the first NUL or space padding.
    return {
      kind: 'text',
      size,
      read: (d, i) => String.fromCharCode(...d.subarray(i, i + size).filter((c) => c >= 0x21 && c <= 0x7e)),
    };
  }
  const hex = /^hex([1-9][0-9]?)$/.exec(type);
  if (hex !== null) {
    const size = Number(hex[1]);
    return { kind: 'text', size, read: (d, i) => bytesToHex(d.subarray(i, i + size)) };
  }
  return undefined;
}

export const READER_TYPES: readonly string[] = [
  ...Object.keys(NUMERIC),
  'mac',
  'mac_reversed',
  'hex<N>',
  'ascii<N>',
];

export type { ReadingValue };

const INLINE: Record<string, (i: number) => string> = {
  u8: (i) => `d[${i}]`,
  s8: (i) => `((d[${i}] << 24) >> 24)`,
  u16le: (i) => `(d[${i}] | (d[${i + 1}] << 8))`,
  u16be: (i) => `((d[${i}] << 8) | d[${i + 1}])`,
  s16le: (i) => `(((d[${i + 1}] << 24) >> 16) | d[${i}])`,
  s16be: (i) => `(((d[${i}] << 24) >> 16) | d[${i + 1}])`,
  u24le: (i) => `(d[${i}] | (d[${i + 1}] << 8) | (d[${i + 2}] << 16))`,
  u24be: (i) => `((d[${i}] << 16) | (d[${i + 1}] << 8) | d[${i + 2}])`,
  s24le: (i) => `(((d[${i + 2}] << 24) >> 8) | (d[${i + 1}] << 8) | d[${i}])`,
  s24be: (i) => `(((d[${i}] << 24) >> 8) | (d[${i + 1}] << 8) | d[${i + 2}])`,
  u32le: (i) => `((d[${i}] | (d[${i + 1}] << 8) | (d[${i + 2}] << 16)) + d[${i + 3}] * 16777216)`,
  u32be: (i) => `(d[${i}] * 16777216 + ((d[${i + 1}] << 16) | (d[${i + 2}] << 8) | d[${i + 3}]))`,
  s32le: (i) => `(d[${i}] | (d[${i + 1}] << 8) | (d[${i + 2}] << 16) | (d[${i + 3}] << 24))`,
  s32be: (i) => `((d[${i}] << 24) | (d[${i + 1}] << 16) | (d[${i + 2}] << 8) | d[${i + 3}])`,
};

/** The integer read of `type` at a constant offset as a JavaScript expression over `d`, when inlinable. */
export function inlineRead(type: string, at: number): string | undefined {
  return INLINE[type]?.(at);
}
