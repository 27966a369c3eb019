/**
 * Wired M-Bus (EN 13757-2) long frames, `68 L L 68 C A CI … CS 16`, as wmbusmeters' tests and M-Bus
 * masters deliver them. They carry the same application layer as wireless telegrams; `wiredToWireless`
 * rewrites one into the wireless layout (L C M A V T CI …, taking the address from the long TPL header)
 * so that the same drivers decode it.
 */
export function isWiredLongFrame(b: Uint8Array): boolean {
  const l = b[1] ?? 0;
  return (
    b.length >= 9 &&
    b[0] === 0x68 &&
    b[3] === 0x68 &&
    b[2] === l &&
    b.length === l + 6 &&
    b[b.length - 1] === 0x16
  );
}

export type WiredResult =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly detail: string };

export function wiredToWireless(b: Uint8Array): WiredResult {
  const l = b[1] ?? 0;
  let sum = 0;
  for (let i = 4; i < 4 + l; i++) sum = (sum + (b[i] ?? 0)) & 0xff;
  if (sum !== b[4 + l])
    return {
      ok: false,
      detail: `wired M-Bus checksum 0x${sum.toString(16)} does not match 0x${(b[4 + l] ?? 0).toString(16)}`,
    };
  const c = b[4] ?? 0;
  const ci = b[6] ?? 0;
  const data = b.subarray(6, 4 + l);
  // The long TPL header (CI 72) holds ID(4) M(2) V T: the meter's address.
  const address = ci === 0x72 && data.length >= 9 ? data.subarray(1, 9) : new Uint8Array(8);
  const out = new Uint8Array(10 + data.length);
  out[0] = out.length - 1;
  out[1] = c;
  out[2] = address[4] ?? 0;
  out[3] = address[5] ?? 0;
  out.set(address.subarray(0, 4), 4);
  out[8] = address[6] ?? 0;
  out[9] = address[7] ?? 0;
  out.set(data, 10);
  return { ok: true, bytes: out };
}
