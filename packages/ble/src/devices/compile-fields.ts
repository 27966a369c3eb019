import type { ReadingValue } from '../advertisement.js';
import { decodeFailure } from '../decode-failure.js';
import type { FormatDecodeResult } from '../format-definition.js';
import { type CompiledCondition, compileConditions } from './compile-conditions.js';
import type { FieldSpec } from './definition.js';
import { inlineRead, readerFor } from './readers.js';

export const VALUE_NAME = /^[a-z][a-z0-9_]*$/;

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

/** Closures and tables the generated decoder refers to by index. */
interface Helpers {
  when: CompiledCondition[];
  read: ((d: Uint8Array, at: number) => number | string)[];
  compute: ((raw: number, d: Uint8Array) => ReadingValue | undefined)[];
  tables: Readonly<Record<number, string>>[];
  invalidText: (readonly unknown[])[];
}

/** Validates one field and returns the JavaScript statement that reads it into `v`. */
function fieldCode(f: FieldSpec, path: string, h: Helpers): string {
  if (typeof f !== 'object' || f === null) throw new FieldError(path, 'must be an object');
  if (typeof f.name !== 'string' || !VALUE_NAME.test(f.name))
    throw new FieldError(`${path}.name`, `must be snake_case, got ${JSON.stringify(f.name)}`);
  if (f.const !== undefined) {
    const t = typeof f.const;
    if (t !== 'boolean' && t !== 'string' && !(t === 'number' && Number.isFinite(f.const)))
      throw new FieldError(`${path}.const`, 'must be a boolean, a text or a finite number');
    return `v[${JSON.stringify(f.name)}] = ${JSON.stringify(f.const)};${f.identity === true ? '' : ' c++;'}`;
  }
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
  if (f.enum !== undefined && (typeof f.enum !== 'object' || f.enum === null))
    throw new FieldError(`${path}.enum`, 'must be an object');
  const when = compileConditions(f.when);
  if (Array.isArray(when)) throw new FieldError(`${path}.when[${when[0]}]`, when[1]);
  const at = f.at;
  const end = at + reader.size;
  const key = JSON.stringify(f.name);
  const count = f.identity === true ? '' : ' c++;';
  let guard = `len >= ${end}`;
  if (when !== undefined) guard += ` && W[${h.when.push(when) - 1}](d)`;

  if (reader.kind === 'text') {
    if (f.bits || f.scale !== undefined || f.div !== undefined || f.add !== undefined || f.enum || f.bool)
      throw new FieldError(path, `${f.type} is text: bits, scale, div, add, enum and bool do not apply`);
    const r = h.read.push(reader.read) - 1;
    const inv = h.invalidText.push(f.invalid ?? []) - 1;
    return `if (${guard}) { t = R[${r}](d, ${at}); if (!I[${inv}].includes(t)) { v[${key}] = t;${count} } }`;
  }
  let read =
    inlineRead(f.type, at) ??
    `R[${h.read.push(reader.read as (d: Uint8Array, at: number) => number) - 1}](d, ${at})`;
  if (f.bits !== undefined) {
    const [s, w] = f.bits;
    if (!Number.isInteger(s) || !Number.isInteger(w) || s < 0 || w < 1 || s + w > 32)
      throw new FieldError(
        `${path}.bits`,
        `must be [shift, width] within 32 bits, got ${JSON.stringify(f.bits)}`,
      );
    read = w === 32 ? `((${read}) >>> ${s})` : `(((${read}) >>> ${s}) & ${2 ** w - 1})`;
  }
  if (f.invalid !== undefined && (!Array.isArray(f.invalid) || !f.invalid.every(numberOk)))
    throw new FieldError(`${path}.invalid`, 'must be a list of numbers');
  const invalid = (f.invalid ?? []) as readonly number[];
  const valid = invalid.length === 0 ? 'true' : invalid.map((x) => `r !== ${x}`).join(' && ');
  const isFloat = f.type.startsWith('f');
  let store: string;
  if (f.compute !== undefined) {
    const c = h.compute.push(f.compute) - 1;
    store = `x = C[${c}](r, d); if (x !== undefined && (typeof x !== 'number' || Number.isFinite(x))) { v[${key}] = x;${count} }`;
  } else if (f.enum !== undefined) {
    const e = h.tables.push(f.enum) - 1;
    store = `x = T[${e}][r]; if (x !== undefined) { v[${key}] = x;${count} }`;
  } else if (f.bool) {
    store = `v[${key}] = r !== 0;${count}`;
  } else {
    let expr = 'r';
    if (f.offset !== undefined && f.offset !== 0) expr = `(${expr} + ${f.offset})`;
    if (f.scale !== undefined && f.scale !== 1) expr = `${expr} * ${f.scale}`;
    if (f.div !== undefined && f.div !== 1) expr = `(${expr}) / ${f.div}`;
    if (f.add !== undefined && f.add !== 0) expr = `${expr} + ${f.add}`;
    if (f.round !== undefined) expr = `Math.round((${expr}) * ${10 ** f.round}) / ${10 ** f.round}`;
    store = isFloat
      ? `x = ${expr}; if (Number.isFinite(x)) { v[${key}] = x;${count} }`
      : `v[${key}] = ${expr};${count}`;
  }
  return `if (${guard}) { r = ${read}; if (${valid}) { ${store} } }`;
}

/**
 * Compiles fixed-position fields into one decode function, generated once at load (one straight-line
 * function per device: no per-field closures or loops at decode time). Throws FieldError naming the path.
 */
export function compileFields(
  fields: readonly FieldSpec[],
  path: string,
  label: string,
  sequenceValue: string | undefined,
): (data: Uint8Array) => FormatDecodeResult {
  if (!Array.isArray(fields) || fields.length === 0) throw new FieldError(path, 'must be a non-empty list');
  const h: Helpers = { when: [], read: [], compute: [], tables: [], invalidText: [] };
  const body = fields.map((f, i) => fieldCode(f, `${path}[${i}]`, h)).join('\n');
  const seq = sequenceValue === undefined ? undefined : JSON.stringify(sequenceValue);
  const source = `return function decode(d) {
    const len = d.length; const v = {}; let c = 0; let r; let t; let x;
    ${body}
    if (c === 0) return F();
    ${seq === undefined ? '' : `if (typeof v[${seq}] === 'number') return { ok: true, values: v, sequence: v[${seq}] };`}
    return { ok: true, values: v };
  };`;
  const failure = () => decodeFailure('no_values', `${label} advert yielded no value`);
  return new Function('W', 'R', 'C', 'T', 'I', 'F', source)(
    h.when,
    h.read,
    h.compute,
    h.tables,
    h.invalidText,
    failure,
  ) as (data: Uint8Array) => FormatDecodeResult;
}
