import { decodeFailure } from '../decode-failure.js';
import type { FormatDecodeContext, FormatDecodeResult } from '../format-definition.js';
import { type CompiledCondition, compileCondition, compileConditions } from './compile-conditions.js';
import { compileFields, FieldError, VALUE_NAME } from './compile-fields.js';
import type { DeviceDefinition, FamilyDefinition } from './definition.js';

/** A device definition after validation: the index and decode loop use only this. */
export interface CompiledDevice {
  readonly family: string;
  readonly brand: string;
  readonly model: string;
  readonly modelId: string;
  readonly companyIds: readonly number[] | undefined;
  readonly serviceUuid: string | undefined;
  readonly nameExact: string | undefined;
  readonly namePrefix: string | undefined;
  readonly part: 'manufacturer' | 'service';
  readonly where: CompiledCondition | undefined;
  readonly priority: number;
  /** Registry order, for stable tie-breaking. */
  readonly order: number;
  readonly valueNames: readonly string[];
  readonly sequenceValue: string | undefined;
  readonly decode: (data: Uint8Array, context: FormatDecodeContext) => FormatDecodeResult;
}

/** A definition that failed to load: which file, which path, what is wrong. */
export interface DefinitionLoadError {
  file: string;
  path: string;
  message: string;
}

export function formatLoadError(e: DefinitionLoadError): string {
  return `${e.file}: ${e.path}: ${e.message}`;
}

const UUID16 = /^[0-9a-f]{4}$/;

/** Validates and compiles one device; throws FieldError naming the path within the device. */
export function compileDevice(
  family: string,
  d: DeviceDefinition,
  path: string,
  order: number,
): CompiledDevice {
  if (typeof d !== 'object' || d === null) throw new FieldError(path, 'must be an object');
  for (const key of ['brand', 'model', 'modelId'] as const) {
    if (typeof d[key] !== 'string' || d[key].length === 0)
      throw new FieldError(`${path}.${key}`, 'must be a non-empty string');
  }
  const m = d.match;
  if (typeof m !== 'object' || m === null) throw new FieldError(`${path}.match`, 'must be an object');
  const companyIds =
    m.companyId === undefined ? undefined : typeof m.companyId === 'number' ? [m.companyId] : m.companyId;
  if (
    companyIds !== undefined &&
    (!Array.isArray(companyIds) ||
      companyIds.length === 0 ||
      !companyIds.every((c) => Number.isInteger(c) && c >= 0 && c <= 0xffff))
  )
    throw new FieldError(
      `${path}.match.companyId`,
      `must be 0…0xFFFF or a list of them, got ${JSON.stringify(m.companyId)}`,
    );
  if (m.serviceUuid !== undefined && (typeof m.serviceUuid !== 'string' || !UUID16.test(m.serviceUuid)))
    throw new FieldError(
      `${path}.match.serviceUuid`,
      `must be 4 lower-case hex digits, got ${JSON.stringify(m.serviceUuid)}`,
    );
  let nameExact: string | undefined;
  let namePrefix: string | undefined;
  if (typeof m.name === 'string' && m.name.length >= 2) nameExact = m.name;
  else if (
    typeof m.name === 'object' &&
    m.name !== null &&
    typeof m.name.prefix === 'string' &&
    m.name.prefix.length >= 2
  )
    namePrefix = m.name.prefix;
  else if (m.name !== undefined)
    throw new FieldError(
      `${path}.match.name`,
      'must be a text of 2 or more characters, or { prefix } of 2 or more',
    );
  if (
    m.companyId === undefined &&
    m.serviceUuid === undefined &&
    nameExact === undefined &&
    namePrefix === undefined
  )
    throw new FieldError(`${path}.match`, 'needs at least one of companyId, serviceUuid, name');
  const part = m.data ?? (m.serviceUuid !== undefined ? 'service' : 'manufacturer');
  if (part !== 'manufacturer' && part !== 'service')
    throw new FieldError(`${path}.match.data`, `must be 'manufacturer' or 'service'`);
  const where = compileConditions(m.where);
  if (Array.isArray(where)) throw new FieldError(`${path}.match.where[${where[0]}]`, where[1]);
  const label = `${d.brand} ${d.modelId}`;
  let decode: CompiledDevice['decode'];
  let valueNames: string[];
  if (d.decode !== undefined) {
    if (typeof d.decode !== 'function') throw new FieldError(`${path}.decode`, 'must be a function');
    decode = d.decode;
    valueNames = [...(d.valueNames ?? [])];
  } else {
    if (d.fields === undefined) throw new FieldError(path, 'needs fields or a decode hook');
    const run = compileFields(d.fields, `${path}.fields`, label, d.sequenceValue);
    decode = (data) => run(data);
    valueNames = [...new Set([...d.fields.map((f) => f.name), ...(d.valueNames ?? [])])];
  }
  if (d.complete !== undefined) {
    if (typeof d.complete !== 'function') throw new FieldError(`${path}.complete`, 'must be a function');
    const complete = d.complete;
    const inner = decode;
    decode = (data, context) => {
      const result = inner(data, context);
      if (result.ok) complete(result.values, context);
      return result;
    };
  }
  if (d.checks !== undefined) {
    if (!Array.isArray(d.checks)) throw new FieldError(`${path}.checks`, 'must be a list');
    const checks = d.checks.map((c, i) => {
      const test = compileCondition(c.where);
      if (typeof test === 'string') throw new FieldError(`${path}.checks[${i}].where`, test);
      if (!['bad_length', 'unsupported_version', 'no_values'].includes(c.code))
        throw new FieldError(`${path}.checks[${i}].code`, `unknown code ${JSON.stringify(c.code)}`);
      return { test, code: c.code, message: String(c.message) };
    });
    const inner = decode;
    decode = (data, context) => {
      for (const c of checks) if (!c.test(data)) return decodeFailure(c.code, c.message);
      return inner(data, context);
    };
  }
  for (const [i, n] of valueNames.entries()) {
    if (!VALUE_NAME.test(n))
      throw new FieldError(`${path}.valueNames[${i}]`, `must be snake_case, got ${JSON.stringify(n)}`);
  }
  if (d.sequenceValue !== undefined && !valueNames.includes(d.sequenceValue))
    throw new FieldError(`${path}.sequenceValue`, `'${d.sequenceValue}' is not one of its value names`);
  return {
    family,
    brand: d.brand,
    model: d.model,
    modelId: d.modelId,
    companyIds,
    serviceUuid: m.serviceUuid,
    nameExact,
    namePrefix,
    part,
    where,
    priority: d.priority ?? 0,
    order,
    valueNames,
    sequenceValue: d.sequenceValue,
    decode,
  };
}

/** A family file as the registry lists it: its file name and its exports. */
export interface FamilyEntry {
  file: string;
  family: FamilyDefinition;
}

export interface LoadedDefinitions {
  devices: CompiledDevice[];
  families: FamilyDefinition[];
  errors: DefinitionLoadError[];
}

/**
 * Validates and compiles every definition once. A device with a mistake is left out and reported
 * (file + path + what); every other device still loads.
 */
export function loadDefinitions(entries: readonly FamilyEntry[]): LoadedDefinitions {
  const devices: CompiledDevice[] = [];
  const families: FamilyDefinition[] = [];
  const errors: DefinitionLoadError[] = [];
  const ids = new Set<string>();
  for (const { file, family } of entries) {
    if (
      typeof family !== 'object' ||
      family === null ||
      typeof family.id !== 'string' ||
      !VALUE_NAME.test(family.id)
    ) {
      errors.push({ file, path: 'id', message: 'the family needs a snake_case id' });
      continue;
    }
    if (ids.has(family.id)) {
      errors.push({ file, path: 'id', message: `family id '${family.id}' is already used by another file` });
      continue;
    }
    if (!Array.isArray(family.devices)) {
      errors.push({ file, path: 'devices', message: 'must be a list of devices' });
      continue;
    }
    ids.add(family.id);
    families.push(family);
    family.devices.forEach((d, i) => {
      try {
        devices.push(compileDevice(family.id, d, `devices[${i}]`, devices.length));
      } catch (err) {
        if (err instanceof FieldError) errors.push({ file, path: err.path, message: err.message });
        else errors.push({ file, path: `devices[${i}]`, message: String(err) });
      }
    });
  }
  return { devices, families, errors };
}
