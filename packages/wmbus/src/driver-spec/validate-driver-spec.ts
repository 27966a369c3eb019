import { Ajv } from 'ajv';
import { compactFormatFromHex } from '../compact/compact-format.js';
import { isCombinableName } from './combinables.js';
import { driverSpecSchema } from './driver-schema.js';
import type { DriverSpec } from './driver-spec.js';
import { fieldLibrary, libraryName } from './field-library.js';
import { isKnownDisplayUnit, normalizeUnit } from './units.js';
import { vifRangePredicate } from './vif-ranges.js';

/** One problem in a driver object: a JSON pointer into it and what is wrong. */
export interface DriverProblem {
  readonly path: string;
  readonly message: string;
}

export type DriverSpecResult =
  | { readonly ok: true; readonly spec: DriverSpec }
  | { readonly ok: false; readonly problems: readonly DriverProblem[] };

const ajv = new Ajv({ allErrors: true, strict: false });
const validateSchema = ajv.compile(driverSpecSchema);

function semanticProblems(spec: DriverSpec): DriverProblem[] {
  const problems: DriverProblem[] = [];
  spec.compactFormats?.forEach((hex, i) => {
    const f = compactFormatFromHex(hex);
    if (!f.ok) problems.push({ path: `/compactFormats/${i}`, message: `not a compact format: ${f.detail}` });
  });
  spec.library?.forEach((name, i) => {
    if (fieldLibrary[libraryName(name)] === undefined)
      problems.push({ path: `/library/${i}`, message: `unknown library field '${name}'` });
  });
  spec.fields.forEach((f, i) => {
    const at = `/fields/${i}`;
    const m = f.match;
    if (m?.vifRange !== undefined && vifRangePredicate(m.vifRange) === undefined)
      problems.push({ path: `${at}/match/vifRange`, message: `unknown VIF range '${m.vifRange}'` });
    m?.combinable?.forEach((c, j) => {
      if (!isCombinableName(c))
        problems.push({ path: `${at}/match/combinable/${j}`, message: `unknown combinable VIFE '${c}'` });
    });
    if (f.forceScale !== undefined && !Number.isFinite(f.forceScale))
      problems.push({ path: `${at}/forceScale`, message: 'must be a finite number' });
    if (f.displayUnit !== undefined && !isKnownDisplayUnit(normalizeUnit(f.displayUnit)))
      problems.push({ path: `${at}/displayUnit`, message: `unknown display unit '${f.displayUnit}'` });
  });
  return problems;
}

/** Checks a parsed driver object against the driver schema and the facts the schema cannot express. Pure. */
export function validateDriverSpec(value: unknown): DriverSpecResult {
  if (!validateSchema(value)) {
    const problems = (validateSchema.errors ?? []).map((e) => ({
      path: e.instancePath === '' ? '/' : e.instancePath,
      message:
        e.keyword === 'additionalProperties'
          ? `unknown key '${String((e.params as { additionalProperty?: string }).additionalProperty)}'`
          : e.keyword === 'enum'
            ? `must be one of ${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).join(', ')}`
            : (e.message ?? 'is invalid'),
    }));
    // anyOf reports each branch; keep one message per path.
    const seen = new Set<string>();
    return {
      ok: false,
      problems: problems.filter((p) => {
        if (seen.has(p.path)) return false;
        seen.add(p.path);
        return true;
      }),
    };
  }
  const spec = value as unknown as DriverSpec;
  const problems = semanticProblems(spec);
  return problems.length === 0 ? { ok: true, spec } : { ok: false, problems };
}
