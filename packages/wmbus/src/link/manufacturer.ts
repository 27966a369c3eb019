/**
 * The M field: three letters packed as ((c1-64)<<10) | ((c2-64)<<5) | (c3-64), sent little-endian.
 * KAM = 0x2C2D (bytes 2D 2C).
 */
export function manufacturerCode(field: number): string {
  const c1 = ((field >> 10) & 0x1f) + 64;
  const c2 = ((field >> 5) & 0x1f) + 64;
  const c3 = (field & 0x1f) + 64;
  return String.fromCharCode(c1, c2, c3);
}

/** The 16-bit M field for a three-letter code (A–Z), or undefined when the code is not three letters. */
export function manufacturerField(code: string): number | undefined {
  if (!/^[A-Z]{3}$/.test(code)) return undefined;
  return ((code.charCodeAt(0) - 64) << 10) | ((code.charCodeAt(1) - 64) << 5) | (code.charCodeAt(2) - 64);
}
