import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

/** One shared ajv instance for the contracts: every schema is compiled once, at module load. */
const ajv = new Ajv2020({
  allErrors: true,
  strict: true,
  allowUnionTypes: true,
  allowMatchingProperties: true,
});

export type Validated<T> = { ok: true; value: T } | { ok: false; error: PayloadError };

export interface PayloadError {
  /** Stable code: PAYLOAD_ERR_JSON (not JSON / not text), PAYLOAD_ERR_SCHEMA (JSON that breaks the schema). */
  code: 'PAYLOAD_ERR_JSON' | 'PAYLOAD_ERR_SCHEMA';
  /** JSONPath of the first failing value, e.g. `$[0].deviceId`; `$` for the whole payload. */
  path: string;
  /** Human-readable reason naming the path and what was expected. */
  message: string;
  /** Every schema problem, each as "path: reason". */
  problems: string[];
}

/** Converts a JSON Pointer (`/0/deviceId`) into a JSONPath (`$[0].deviceId`). */
export function pointerToPath(pointer: string): string {
  if (pointer === '') return '$';
  let out = '$';
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) out += `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

function describe(error: ErrorObject): { path: string; text: string } {
  let pointer = error.instancePath;
  let text = error.message ?? 'is invalid';
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required' && typeof params['missingProperty'] === 'string') {
    pointer = `${pointer}/${params['missingProperty']}`;
    text = 'is required';
  } else if (error.keyword === 'additionalProperties' && typeof params['additionalProperty'] === 'string') {
    pointer = `${pointer}/${params['additionalProperty']}`;
    text = 'is not an allowed property';
  } else if (error.keyword === 'enum' && Array.isArray(params['allowedValues'])) {
    text = `must be one of ${params['allowedValues'].map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return { path: pointerToPath(pointer), text };
}

/** Compiles a JSON Schema (draft 2020-12) once and returns a validator that reports JSON paths. */
export function compilePayloadSchema<T>(schema: object, label: string): (value: unknown) => Validated<T> {
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (cause) {
    throw new Error(`invalid JSON Schema for ${label}: ${(cause as Error).message}`, { cause });
  }
  return (value: unknown) => {
    if (validate(value)) return { ok: true, value: value as T };
    const described = (validate.errors ?? []).map(describe);
    const first = described[0] ?? { path: '$', text: 'is invalid' };
    return {
      ok: false,
      error: {
        code: 'PAYLOAD_ERR_SCHEMA',
        path: first.path,
        message: `${label} payload at ${first.path} ${first.text}`,
        problems: described.map((d) => `${d.path} ${d.text}`),
      },
    };
  };
}
