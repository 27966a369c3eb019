import type { InputProblem } from '../router-error.js';

/** Legacy type names (the old server's `validate_payload`) → JSON Schema types. */
export const LEGACY_TYPES: Readonly<Record<string, string>> = Object.freeze({
  string: 'string',
  str: 'string',
  number: 'number',
  float: 'number',
  int: 'integer',
  integer: 'integer',
  bool: 'boolean',
  boolean: 'boolean',
  object: 'object',
  array: 'array',
});

const SCHEMA_KEYWORDS = new Set([
  '$schema',
  '$id',
  '$ref',
  '$defs',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'patternProperties',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
]);

export type FlowSchemaForm = 'none' | 'legacy' | 'json-schema';

export type FlowSchemaParse =
  | { ok: true; form: FlowSchemaForm; jsonSchema: Record<string, unknown> }
  | { ok: false; problems: InputProblem[] };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function childPath(base: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

/**
 * Reads a flow's payload schema: null/absent (any JSON object), the legacy form `{"temp": "number"}`
 * (every listed field required; type names as the old server had them, case-insensitive), or a full
 * JSON Schema. An object whose values are all legacy type names is the legacy form; anything with
 * `$schema` or a non-string value is JSON Schema. Pure: returns problems with JSON paths under `path`.
 */
export function parseFlowSchema(raw: unknown, path = '$.payloadSchema'): FlowSchemaParse {
  if (raw === null || raw === undefined) return { ok: true, form: 'none', jsonSchema: { type: 'object' } };
  if (!isPlainObject(raw)) {
    return {
      ok: false,
      problems: [{ path, message: 'must be a JSON object (legacy form or JSON Schema) or null' }],
    };
  }
  const entries = Object.entries(raw);
  const allStrings = entries.every(([, v]) => typeof v === 'string');
  if ('$schema' in raw || !allStrings) return { ok: true, form: 'json-schema', jsonSchema: raw };
  const problems: InputProblem[] = [];
  const properties: Record<string, unknown> = {};
  for (const [field, value] of entries) {
    const type = LEGACY_TYPES[String(value).trim().toLowerCase()];
    if (type === undefined) {
      problems.push({
        path: childPath(path, field),
        message: `unknown type '${String(value)}' (expected one of ${Object.keys(LEGACY_TYPES).join(', ')})`,
      });
    } else {
      properties[field] = { type };
    }
  }
  if (problems.length > 0) {
    // Strings everywhere but not type names: a JSON Schema made only of string keywords (`{"type": "object"}`
    // with `$ref`…) is still accepted as JSON Schema when it uses schema keywords only.
    if (entries.every(([k]) => SCHEMA_KEYWORDS.has(k)))
      return { ok: true, form: 'json-schema', jsonSchema: raw };
    return { ok: false, problems };
  }
  return {
    ok: true,
    form: 'legacy',
    jsonSchema: { type: 'object', required: Object.keys(properties), properties },
  };
}

/** Parses the `payload_schema` column (JSON text or null). */
export function parseFlowSchemaText(text: string | null, path = '$.payloadSchema'): FlowSchemaParse {
  if (text === null || text.trim() === '') return parseFlowSchema(null, path);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [{ path, message: `is not valid JSON: ${(e as Error).message}` }] };
  }
  return parseFlowSchema(value, path);
}
