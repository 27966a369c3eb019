import type { IntLike } from './driver-spec.js';

/** An IntLike as a bigint: numbers as they are, strings as hex (with or without 0x). */
export function intLikeBig(v: IntLike): bigint {
  if (typeof v === 'number') return BigInt(v);
  return BigInt(v.startsWith('0x') || v.startsWith('0X') ? v : `0x${v}`);
}

export function intLikeNumber(v: IntLike): number {
  return Number(intLikeBig(v));
}
