import { crc16En13757 } from '../crc/crc16-en13757.js';

/**
 * DLL CRCs of EN 13757-4 frame formats A and B. Telegrams from the iM871A arrive with the CRCs already
 * removed; hex pasted from other tools (rtl_wmbus, CUL sticks, logs) often still carries them.
 *
 * Format A: L counts the bytes after L without CRCs. Block 1 = 10 bytes (L C M M A A A A V T) + CRC, then
 * 16-byte blocks each + CRC, the last one 1..16 bytes + CRC.
 * Format B: L counts the bytes after L including CRCs. Up to 128 bytes one CRC at the end; longer frames
 * have a CRC at bytes 126..127 (over 0..125) and one at the end (over 128..end-3).
 * DLL CRCs are stored high byte first.
 */
export type DllFrameFormat = 'A' | 'B';

function crcAt(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
}

/** Raw length a format-A frame with this L field has. */
export function formatALength(l: number): number {
  if (l < 9) return -1;
  const rest = l - 9;
  return 12 + rest + 2 * Math.ceil(rest / 16);
}

/** True when `raw` is a complete format-A frame whose every block CRC is valid. */
export function hasValidFormatACrcs(raw: Uint8Array): boolean {
  const l = raw[0] ?? 0;
  if (raw.length !== formatALength(l)) return false;
  if (crc16En13757(raw, 0, 10) !== crcAt(raw, 10)) return false;
  let i = 12;
  while (i < raw.length) {
    const blockEnd = Math.min(i + 16, raw.length - 2);
    if (crc16En13757(raw, i, blockEnd) !== crcAt(raw, blockEnd)) return false;
    i = blockEnd + 2;
  }
  return true;
}

/** True when `raw` is a complete format-B frame whose CRC(s) are valid. */
export function hasValidFormatBCrcs(raw: Uint8Array): boolean {
  const n = raw.length;
  if (n < 12 || (raw[0] ?? 0) + 1 !== n) return false;
  if (n <= 128) return crc16En13757(raw, 0, n - 2) === crcAt(raw, n - 2);
  if (n < 131) return false;
  return crc16En13757(raw, 0, 126) === crcAt(raw, 126) && crc16En13757(raw, 128, n - 2) === crcAt(raw, n - 2);
}

/** Removes the DLL CRCs (the caller checked them) and rewrites L to the stripped length. */
export function stripDllCrcs(raw: Uint8Array, format: DllFrameFormat): Uint8Array {
  const parts: number[] = [];
  if (format === 'A') {
    for (let i = 0; i < 10; i++) parts.push(raw[i] ?? 0);
    let i = 12;
    while (i < raw.length) {
      const blockEnd = Math.min(i + 16, raw.length - 2);
      for (let j = i; j < blockEnd; j++) parts.push(raw[j] ?? 0);
      i = blockEnd + 2;
    }
  } else {
    const n = raw.length;
    if (n <= 128) for (let i = 0; i < n - 2; i++) parts.push(raw[i] ?? 0);
    else {
      for (let i = 0; i < 126; i++) parts.push(raw[i] ?? 0);
      for (let i = 128; i < n - 2; i++) parts.push(raw[i] ?? 0);
    }
  }
  const out = Uint8Array.from(parts);
  out[0] = (out.length - 1) & 0xff;
  return out;
}

/** Adds DLL CRCs to a stripped telegram (L = bytes after L), for tests, simulators and tools. */
export function addDllCrcs(stripped: Uint8Array, format: DllFrameFormat): Uint8Array {
  const out: number[] = [];
  const pushCrc = (from: number[], start: number): void => {
    const crc = crc16En13757(Uint8Array.from(from.slice(start)));
    from.push(crc >> 8, crc & 0xff);
  };
  if (format === 'A') {
    for (let i = 0; i < 10; i++) out.push(stripped[i] ?? 0);
    pushCrc(out, 0);
    for (let i = 10; i < stripped.length; i += 16) {
      const start = out.length;
      for (let j = i; j < Math.min(i + 16, stripped.length); j++) out.push(stripped[j] ?? 0);
      pushCrc(out, start);
    }
    return Uint8Array.from(out);
  }
  const n = stripped.length;
  const total = n <= 126 ? n + 2 : n + 4;
  for (let i = 0; i < n; i++) out.push(stripped[i] ?? 0);
  out[0] = (total - 1) & 0xff;
  if (total <= 128) {
    pushCrc(out, 0);
    return Uint8Array.from(out);
  }
  const head = out.slice(0, 126);
  const tail = out.slice(126);
  pushCrc(head, 0);
  const withTail = [...head, ...tail];
  pushCrc(withTail, 128);
  return Uint8Array.from(withTail);
}
