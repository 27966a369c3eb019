import type { InputProblem } from '../router-error.js';
import { childPath } from '../validation/flow-schema.js';

export interface FieldSpec {
  readonly type: 'string' | 'number' | 'integer' | 'boolean' | 'any';
  readonly required?: boolean;
  readonly nullable?: boolean;
}

/**
 * Parses an API body (unknown) against a flat field list: types, required fields (unless `partial`),
 * no unknown properties. Pure; returns every problem with its JSON path.
 */
export function parseInput<T>(
  input: unknown,
  fields: Readonly<Record<string, FieldSpec>>,
  partial: boolean,
): { ok: true; value: T } | { ok: false; problems: InputProblem[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, problems: [{ path: '$', message: 'must be a JSON object' }] };
  }
  const problems: InputProblem[] = [];
  const value: Record<string, unknown> = {};
  const body = input as Record<string, unknown>;
  for (const key of Object.keys(body)) {
    if (!(key in fields)) problems.push({ path: childPath('$', key), message: 'is not an allowed property' });
  }
  for (const [key, spec] of Object.entries(fields)) {
    const path = childPath('$', key);
    const v = body[key];
    if (v === undefined) {
      if (spec.required && !partial) problems.push({ path, message: 'is required' });
      continue;
    }
    if (v === null) {
      if (spec.nullable || spec.type === 'any') value[key] = null;
      else problems.push({ path, message: `must be a ${spec.type}, not null` });
      continue;
    }
    const ok =
      spec.type === 'any' ||
      (spec.type === 'integer'
        ? Number.isInteger(v)
        : typeof v === spec.type && !(typeof v === 'number' && !Number.isFinite(v)));
    if (!ok)
      problems.push({
        path,
        message: `must be ${spec.type === 'integer' ? 'an integer' : `a ${spec.type}`}`,
      });
    else value[key] = v;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: value as T };
}
