import type { Condition } from './definition.js';

export type CompiledCondition = (data: Uint8Array) => boolean;

const isByte = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 255;
const isLength = (n: unknown): n is number =>
  Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 1024;

/** Compiles one condition, or returns why it is malformed. */
export function compileCondition(c: Condition): CompiledCondition | string {
  if (typeof c !== 'object' || c === null) return 'must be an object';
  if ('at' in c) {
    if (!isLength(c.at)) return `'at' must be an integer 0…1024, got ${String(c.at)}`;
    const mask = c.mask ?? 0xff;
    if (!isByte(mask)) return `'mask' must be a byte, got ${String(c.mask)}`;
    const at = c.at;
    if ('equals' in c) {
      const values = typeof c.equals === 'number' ? [c.equals] : c.equals;
      if (!Array.isArray(values) || values.length === 0 || !values.every(isByte))
        return `'equals' must be a byte or a non-empty list of bytes`;
      if (values.length === 1) {
        const v = values[0]!;
        return (d) => at < d.length && (d[at]! & mask) === v;
      }
      return (d) => at < d.length && values.includes(d[at]! & mask);
    }
    if ('notEquals' in c) {
      const v = c.notEquals;
      if (!isByte(v)) return `'notEquals' must be a byte`;
      return (d) => at < d.length && (d[at]! & mask) !== v;
    }
    return `a condition with 'at' needs 'equals' or 'notEquals'`;
  }
  if ('length' in c) {
    const lengths = typeof c.length === 'number' ? [c.length] : c.length;
    if (!Array.isArray(lengths) || lengths.length === 0 || !lengths.every(isLength))
      return `'length' must be a length or a non-empty list of lengths`;
    if (lengths.length === 1) {
      const n = lengths[0]!;
      return (d) => d.length === n;
    }
    return (d) => lengths.includes(d.length);
  }
  if ('minLength' in c || 'maxLength' in c) {
    const min = c.minLength ?? 0;
    const max = c.maxLength ?? 1024;
    if (!isLength(min) || !isLength(max) || min > max)
      return `'minLength'/'maxLength' must be 0…1024, min ≤ max`;
    return (d) => d.length >= min && d.length <= max;
  }
  return `unknown condition keys: ${Object.keys(c).join(', ') || '(none)'}`;
}

/** All of `conditions` as one test; errors are `[index, message]`. */
export function compileConditions(
  conditions: readonly Condition[] | undefined,
): CompiledCondition | [number, string] | undefined {
  if (conditions === undefined || conditions.length === 0) return undefined;
  if (!Array.isArray(conditions)) return [0, 'must be a list of conditions'];
  const tests: CompiledCondition[] = [];
  for (let i = 0; i < conditions.length; i++) {
    const compiled = compileCondition(conditions[i]!);
    if (typeof compiled === 'string') return [i, compiled];
    tests.push(compiled);
  }
  if (tests.length === 1) return tests[0];
  if (tests.length === 2) {
    const [a, b] = tests as [CompiledCondition, CompiledCondition];
    return (d) => a(d) && b(d);
  }
  return (d) => {
    for (const t of tests) if (!t(d)) return false;
    return true;
  };
}
