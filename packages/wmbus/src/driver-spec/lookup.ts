import type { LookupSpec } from './driver-spec.js';
import { intLikeBig } from './int-like.js';

/** A compiled lookup rule: the words it yields for a raw value (possibly none). */
export type LookupRule = (bits: bigint) => string;

function hexUpper(v: bigint): string {
  return v.toString(16).toUpperCase();
}

/**
 * Compiles one lookup (wmbusmeters' translate rule). BitToString names each listed bit (Set) or its absence
 * (NotSet), unnamed set bits become NAME_<hex>, nothing at all the default message; IndexToString names
 * the masked value, unknown ones NAME_<hex>; DecimalsToString subtracts listed decimal values.
 */
export function compileLookup(spec: LookupSpec): LookupRule {
  const map = spec.map.map((m) => ({ from: intLikeBig(m.value), to: m.name, test: m.test ?? 'Set' }));
  let mask = spec.maskBits === undefined ? undefined : intLikeBig(spec.maskBits);
  if (mask === undefined) mask = map.reduce((acc, m) => acc | m.from, 0n);
  const m0 = mask;
  const def = spec.defaultMessage ?? '';
  if (spec.mapType === 'BitToString')
    return (raw) => {
      let bits = raw & m0;
      const words: string[] = [];
      for (const m of map) {
        const from = m.from & m0;
        if (m.test === 'Set') {
          if ((bits & from) !== 0n) {
            words.push(m.to);
            bits &= ~m.from;
          }
        } else if ((bits & from) === 0n) words.push(m.to);
        else bits &= ~m.from;
      }
      if (bits !== 0n) words.push(`${spec.name}_${hexUpper(bits)}`);
      // wmbusmeters prints the words of a bit field sorted.
      return words.length === 0 ? def : [...new Set(words)].sort().join(' ');
    };
  if (spec.mapType === 'IndexToString')
    return (raw) => {
      const bits = raw & m0;
      const hit = map.filter((m) => (m.from & m0) === bits).map((m) => m.to);
      return hit.length === 0 ? `${spec.name}_${hexUpper(bits)}` : hit.join(' ');
    };
  return (raw) => {
    let n = m0 === 0n ? 0n : raw % m0;
    const words: string[] = [];
    if (n === 0n) words.push(def);
    for (const m of map) {
      const num = m0 === 0n ? m.from : m.from % m0;
      if (n - num >= 0n && num !== 0n) {
        words.push(m.to);
        n -= num;
      }
    }
    if (n > 0n) words.push(`${spec.name}_${n.toString()}`);
    return words.join(' ');
  };
}

/** All rules of a field, joined as wmbusmeters joins them (space separated, trimmed). */
export function compileLookups(specs: readonly LookupSpec[]): (bits: bigint) => string {
  const rules = specs.map(compileLookup);
  if (rules.length === 1) {
    const only = rules[0] as LookupRule;
    return (bits) => only(bits).trim();
  }
  return (bits) =>
    rules
      .map((r) => r(bits))
      .filter((s) => s !== '')
      .join(' ')
      .trim();
}
