import { Ajv } from 'ajv';
import { isCombinableName } from './combinables.js';
import { driverSpecSchema } from './driver-schema.js';
import type { DriverSpec } from './driver-spec.js';
import { fieldLibrary } from './field-library.js';
import { isKnownDisplayUnit } from './units.js';
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
  const names = new Set<string>();
  spec.library?.forEach((name, i) => {
    if (fieldLibrary[name] === undefined)
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
    if (f.displayUnit !== undefined && !isKnownDisplayUnit(f.displayUnit.toLowerCase()))
      problems.push({ path: `${at}/displayUnit`, message: `unknown display unit '${f.displayUnit}'` });
    if (m === undefined && f.calculate === undefined && !(f.attributes ?? []).includes('STATUS'))
      problems.push({ path: at, message: 'a field needs match, calculate or the STATUS attribute' });
    const key = `${f.name}/${f.displayUnit ?? f.quantity}`;
    if (names.has(key)) problems.push({ path: `${at}/name`, message: `field ${f.name} is defined twice` });
    names.add(key);
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
