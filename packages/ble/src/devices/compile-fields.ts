import type { ReadingValue, ReadingValues } from '../advertisement.js';
import { decodeFailure } from '../decode-failure.js';
import type { FormatDecodeResult } from '../format-definition.js';
import { type CompiledCondition, compileConditions } from './compile-conditions.js';
import type { FieldSpec } from './definition.js';
import { readerFor } from './readers.js';

export const VALUE_NAME = /^[a-z][a-z0-9_]*$/;

interface CompiledField {
  name: string;
  identity: boolean;
  end: number;
  at: number;
  when: CompiledCondition | undefined;
  value: (data: Uint8Array) => ReadingValue | undefined;
}

export class FieldError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

function numberOk(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n);
}

function compileField(f: FieldSpec, path: string): CompiledField {
  if (typeof f !== 'object' || f === null) throw new FieldError(path, 'must be an object');
  if (typeof f.name !== 'string' || !VALUE_NAME.test(f.name))
    throw new FieldError(`${path}.name`, `must be snake_case, got ${JSON.stringify(f.name)}`);
  if (!Number.isInteger(f.at) || f.at < 0 || f.at > 1024)
    throw new FieldError(`${path}.at`, `must be an integer 0…1024, got ${JSON.stringify(f.at)}`);
  const reader = readerFor(f.type);
  if (reader === undefined)
    throw new FieldError(`${path}.type`, `unknown reader type ${JSON.stringify(f.type)}`);
  for (const key of ['offset', 'scale', 'div', 'add'] as const) {
    if (f[key] !== undefined && !numberOk(f[key]))
      throw new FieldError(`${path}.${key}`, 'must be a finite number');
  }
  if (f.div === 0) throw new FieldError(`${path}.div`, 'must not be 0');
  if (f.round !== undefined && (!Number.isInteger(f.round) || f.round < 0 || f.round > 12))
    throw new FieldError(`${path}.round`, 'must be an integer 0…12');
  if (f.compute !== undefined && typeof f.compute !== 'function')
    throw new FieldError(`${path}.compute`, 'must be a function');
  const when = compileConditions(f.when);
  if (Array.isArray(when)) throw new FieldError(`${path}.when[${when[0]}]`, when[1]);
  const at = f.at;
  const end = at + reader.size;
  const identity = f.identity === true;
  if (reader.kind === 'text') {
    if (f.bits || f.scale !== undefined || f.div !== undefined || f.add !== undefined || f.enum || f.bool)
      throw new FieldError(path, `${f.type} is text: bits, scale, div, add, enum and bool do not apply`);
    const read = reader.read;
    const invalidText = (f.invalid ?? []) as readonly unknown[];
    return {
      name: f.name,
      identity,
      at,
      end,
      when,
      value: (d) => {
        const t = read(d, at);
        return invalidText.includes(t) ? undefined : t;
      },
    };
  }
  let shift = 0;
  let mask = -1;
  if (f.bits !== undefined) {
    const [s, w] = f.bits;
    if (!Number.isInteger(s) || !Number.isInteger(w) || s < 0 || w < 1 || s + w > 32)
      throw new FieldError(
        `${path}.bits`,
        `must be [shift, width] within 32 bits, got ${JSON.stringify(f.bits)}`,
      );
    shift = s;
    mask = w === 32 ? -1 : (1 << w) - 1;
  }
  if (f.invalid !== undefined && (!Array.isArray(f.invalid) || !f.invalid.every(numberOk)))
    throw new FieldError(`${path}.invalid`, 'must be a list of numbers');
  const invalid = (f.invalid ?? []) as readonly number[];
  const read = reader.read;
  const bits = f.bits !== undefined;
  const raw = bits ? (d: Uint8Array) => (read(d, at) >>> shift) & mask : (d: Uint8Array) => read(d, at);
  const compute = f.compute;
  if (compute !== undefined) {
    return {
      name: f.name,
      identity,
      at,
      end,
      when,
      value: (d) => {
        const r = raw(d);
        return invalid.includes(r) ? undefined : compute(r, d);
      },
    };
  }
  if (f.enum !== undefined) {
    const table = f.enum;
    if (typeof table !== 'object' || table === null)
      throw new FieldError(`${path}.enum`, 'must be an object');
    return {
      name: f.name,
      identity,
      at,
      end,
      when,
      value: (d) => {
        const r = raw(d);
        return invalid.includes(r) ? undefined : table[r];
      },
    };
  }
  if (f.bool) return { name: f.name, identity, at, end, when, value: (d) => raw(d) !== 0 };
  const offset = f.offset ?? 0;
  const scale = f.scale ?? 1;
  const div = f.div ?? 1;
  const add = f.add ?? 0;
  const factor = f.round === undefined ? 0 : 10 ** f.round;
  const value =
    factor !== 0
      ? (r: number) => Math.round((((r + offset) * scale) / div + add) * factor) / factor
      : offset === 0 && scale === 1 && div === 1 && add === 0
        ? (r: number) => r
        : (r: number) => ((r + offset) * scale) / div + add;
  if (invalid.length === 0) return { name: f.name, identity, at, end, when, value: (d) => value(raw(d)) };
  return {
    name: f.name,
    identity,
    at,
    end,
    when,
    value: (d) => {
      const r = raw(d);
      return invalid.includes(r) ? undefined : value(r);
    },
  };
}

/** Compiles fixed-position fields into one decode function. Throws FieldError naming the path. */
export function compileFields(
  fields: readonly FieldSpec[],
  path: string,
  label: string,
  sequenceValue: string | undefined,
): (data: Uint8Array) => FormatDecodeResult {
  if (!Array.isArray(fields) || fields.length === 0) throw new FieldError(path, 'must be a non-empty list');
  const compiled = fields.map((f, i) => compileField(f, `${path}[${i}]`));
  const n = compiled.length;
  return (data) => {
    const values: ReadingValues = {};
    let count = 0;
    const len = data.length;
    for (let i = 0; i < n; i++) {
      const f = compiled[i]!;
      if (f.end > len || (f.when !== undefined && !f.when(data))) continue;
      const v = f.value(data);
      if (v === undefined || (typeof v === 'number' && !Number.isFinite(v))) continue;
      values[f.name] = v;
      if (!f.identity) count++;
    }
    if (count === 0) return decodeFailure('no_values', `${label} advert yielded no value`);
    if (sequenceValue !== undefined) {
      const seq = values[sequenceValue];
      if (typeof seq === 'number') return { ok: true, values, sequence: seq };
    }
    return { ok: true, values };
  };
}
