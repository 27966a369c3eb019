import { u8, u16le } from '../bytes.js';
import { fail, type Result } from '../result.js';

/** Authentication and Fragmentation Layer (CI 0x90), as far as a receiver needs it. */
export interface AflHeader {
  readonly offset: number;
  /** AFL.L: bytes of AFL fields after the length byte. */
  readonly length: number;
  /** Fragmentation control field. */
  readonly fcl: number;
  readonly moreFragments: boolean;
  readonly macPresent: boolean;
  /** Message control (MCL), when present: bits 0..3 the authentication type. */
  readonly mcl?: number;
  /** Message counter (MCR) as transmitted (4 bytes), when present: the mode 7 key derivation input. */
  readonly mcr?: Uint8Array;
  /** The MAC as transmitted, when present (8 bytes for authentication type 5, CMAC truncated). */
  readonly mac?: Uint8Array;
  readonly end: number;
}

const MAC_LENGTH: Record<number, number> = { 4: 4, 5: 8, 6: 12, 7: 16 };

export function parseAfl(b: Uint8Array, offset: number): Result<{ afl: AflHeader }> {
  if (offset + 4 > b.length) return fail('WMBUS_ERR_SHORT', 'AFL header truncated');
  const length = u8(b, offset + 1);
  const end = offset + 2 + length;
  if (end > b.length || length < 2)
    return fail('WMBUS_ERR_LENGTH', `AFL.L ${length} does not fit the telegram`);
  const fcl = u16le(b, offset + 2);
  // EN 13757-7 field order after FCL: MCL, KI, MCR, MAC, ML — each present when its FCL bit says so.
  let at = offset + 4;
  const fields: { mcl?: number; mcr?: Uint8Array; mac?: Uint8Array } = {};
  if (fcl & 0x2000) fields.mcl = u8(b, at++);
  if (fcl & 0x0200) at += 2;
  if (fcl & 0x0800) {
    fields.mcr = b.slice(at, at + 4);
    at += 4;
  }
  if (fcl & 0x0400) {
    const n = MAC_LENGTH[(fields.mcl ?? 0) & 0x0f] ?? 8;
    fields.mac = b.slice(at, at + n);
    at += n;
  }
  if (at > end)
    return fail('WMBUS_ERR_LENGTH', `AFL fields need ${at - offset - 2} bytes, AFL.L is ${length}`);
  return {
    ok: true,
    afl: {
      offset,
      length,
      fcl,
      moreFragments: (fcl & 0x4000) !== 0,
      macPresent: (fcl & 0x0400) !== 0,
      ...fields,
      end,
    },
  };
}
