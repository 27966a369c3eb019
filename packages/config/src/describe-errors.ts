import type { ErrorObject } from 'ajv/dist/2020.js';
import { type PathSegment, pointerSegments } from './json-path.js';

/** One schema problem before it is given its source: where in the config, and what was expected. */
export interface SchemaProblem {
  segments: PathSegment[];
  message: string;
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** `must be one of a, b, c (got "x")`. */
export function oneOfMessage(allowed: readonly unknown[], got: unknown): string {
  return `must be one of ${allowed.map(show).join(', ')}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`;
}

function describeOne(error: ErrorObject): SchemaProblem {
  const segments = pointerSegments(error.instancePath);
  const params = error.params as Record<string, unknown>;
  let message = error.message ?? 'is invalid';
  if (error.keyword === 'required') {
    segments.push(String(params['missingProperty']));
    message = 'is required';
  } else if (error.keyword === 'additionalProperties') {
    segments.push(String(params['additionalProperty']));
    message = 'is not a known setting';
  } else if (error.keyword === 'enum') {
    message = oneOfMessage(params['allowedValues'] as unknown[], error.data);
  }
  return { segments, message };
}

type Branch = { properties?: { kind?: { const?: unknown } } };

/**
 * Turns ajv's errors (allErrors, verbose) into one problem per thing to fix. A `oneOf` of objects told
 * apart by `kind` (`ble.source`, `wmbus.source`) gives one line: the allowed kinds when `kind` is
 * unknown, otherwise only the problems of the branch that `kind` names.
 */
export function describeErrors(errors: readonly ErrorObject[]): SchemaProblem[] {
  const consumed = new Set<ErrorObject>();
  const out: SchemaProblem[] = [];
  for (const error of errors) {
    if (error.keyword !== 'oneOf' || !Array.isArray(error.schema)) continue;
    const kinds = (error.schema as Branch[]).map((b) => b.properties?.kind?.const);
    if (kinds.some((k) => k === undefined)) continue;
    const inBranch = errors.filter((e) => e.schemaPath.startsWith(`${error.schemaPath}/`));
    for (const e of inBranch) consumed.add(e);
    consumed.add(error);
    const data = error.data as Record<string, unknown> | undefined;
    const kind = data && typeof data === 'object' ? data['kind'] : undefined;
    const index = kinds.indexOf(kind);
    if (index < 0) {
      const segments = [...pointerSegments(error.instancePath), 'kind'];
      out.push({
        segments,
        message:
          kind === undefined ? `is required: ${oneOfMessage(kinds, undefined)}` : oneOfMessage(kinds, kind),
      });
      continue;
    }
    const own = inBranch.filter((e) => e.schemaPath.startsWith(`${error.schemaPath}/${index}/`));
    out.push(
      ...(own.length
        ? own.map(describeOne)
        : [{ segments: pointerSegments(error.instancePath), message: 'is invalid' }]),
    );
  }
  for (const error of errors) if (!consumed.has(error)) out.push(describeOne(error));
  return out;
}
