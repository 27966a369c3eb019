const HEX = '0123456789abcdef';

/** Lower-case hex, no separators. */
export function bytesToHex(b: Uint8Array, start = 0, end = b.length): string {
  let s = '';
  for (let i = start; i < end; i++) {
    const v = b[i] ?? 0;
    s += HEX.charAt(v >> 4) + HEX.charAt(v & 15);
  }
  return s;
}

/**
 * Parses hex as people paste it: optional `0x`, whitespace, and the `_` / `|` / `#` markers wmbusmeters uses in
 * its test telegrams are ignored. Returns undefined for anything else (odd length, non-hex characters).
 */
export function hexToBytes(text: string): Uint8Array | undefined {
  const clean = text
    .trim()
    .replace(/^0x/i, '')
    .replace(/[\s_|#:]/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return undefined;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}
