const HEX = '0123456789abcdef';
const HEX_PAIRS: readonly string[] = Array.from({ length: 256 }, (_, i) => HEX[i >> 4]! + HEX[i & 15]!);
const HEX_PAIRS_UPPER: readonly string[] = HEX_PAIRS.map((pair) => pair.toUpperCase());

/** Lower-case hex of `bytes`, no separators. */
export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX_PAIRS[bytes[i]!];
  return out;
}

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  return -1;
}

/** Parses hex (any case, optional `0x` prefix, spaces allowed); `undefined` when it is not hex. */
export function hexToBytes(text: string): Uint8Array | undefined {
  let hex = text.replace(/\s+/g, '');
  if (hex.startsWith('0x') || hex.startsWith('0X')) hex = hex.slice(2);
  if (hex.length % 2 !== 0) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(hex.charCodeAt(2 * i));
    const lo = nibble(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return undefined;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

const MAC_PATTERN = /^[0-9a-fA-F]{2}([:-]?)[0-9a-fA-F]{2}(?:\1[0-9a-fA-F]{2}){4}$/;
const CANONICAL_MAC = /^[0-9A-F]{2}(?::[0-9A-F]{2}){5}$/;

/**
 * The canonical form of a MAC address, `AA:BB:CC:DD:EE:FF`, from any case with `:`, `-` or no
 * separator; `undefined` when `address` is not a MAC address.
 */
export function normalizeMac(address: string): string | undefined {
  if (CANONICAL_MAC.test(address)) return address;
  if (!MAC_PATTERN.test(address)) return undefined;
  const hex = address.replace(/[:-]/g, '').toUpperCase();
  return hex.replace(/(..)(?!$)/g, '$1:');
}

/** The canonical MAC when `address` is one, otherwise `address` unchanged (e.g. a macOS peripheral UUID). */
export function canonicalAddress(address: string): string {
  return normalizeMac(address) ?? address;
}

/** The 6 bytes of a canonical MAC address, in display order. */
export function macBytes(canonicalMac: string): Uint8Array {
  const out = new Uint8Array(6);
  for (let i = 0; i < 6; i++) {
    out[i] = (nibble(canonicalMac.charCodeAt(3 * i)) << 4) | nibble(canonicalMac.charCodeAt(3 * i + 1));
  }
  return out;
}

/** A canonical MAC from the 6 bytes at `offset` (display order). */
export function macFromBytes(bytes: Uint8Array, offset = 0): string {
  const p = HEX_PAIRS_UPPER;
  return `${p[bytes[offset]!]}:${p[bytes[offset + 1]!]}:${p[bytes[offset + 2]!]}:${p[bytes[offset + 3]!]}:${p[bytes[offset + 4]!]}:${p[bytes[offset + 5]!]}`;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
