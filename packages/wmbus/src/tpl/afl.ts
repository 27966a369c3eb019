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
  readonly end: number;
}

export function parseAfl(b: Uint8Array, offset: number): Result<{ afl: AflHeader }> {
  if (offset + 4 > b.length) return fail('WMBUS_ERR_SHORT', 'AFL header truncated');
  const length = u8(b, offset + 1);
  const end = offset + 2 + length;
  if (end > b.length || length < 2)
    return fail('WMBUS_ERR_LENGTH', `AFL.L ${length} does not fit the telegram`);
  const fcl = u16le(b, offset + 2);
  return {
    ok: true,
    afl: { offset, length, fcl, moreFragments: (fcl & 0x4000) !== 0, macPresent: (fcl & 0x0400) !== 0, end },
  };
}
