import { pointerToPath } from '@iotgw/contracts';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { InputProblem } from '../router-error.js';
import { linearRegExp } from './linear-regexp.js';

// ajv-formats is CommonJS with a default export; under NodeNext its default arrives as the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

/** Result of checking one payload: the first failing JSON path and every problem. */
export type PayloadCheck =
  | { ok: true }
  | { ok: false; path: string; message: string; problems: readonly string[] };

export interface CompiledSchema {
  validate(value: unknown): PayloadCheck;
}

export type SchemaCompile = { ok: true; schema: CompiledSchema } | { ok: false; problems: InputProblem[] };

type Draft = '2020' | '2019' | '07';

function draftOf(schema: Record<string, unknown>): Draft | null {
  const id = schema['$schema'];
  if (id === undefined) return '2020';
  if (typeof id !== 'string') return null;
  if (/json-schema\.org\/draft\/2020-12\/schema#?$/.test(id)) return '2020';
  if (/json-schema\.org\/draft\/2019-09\/schema#?$/.test(id)) return '2019';
  if (/json-schema\.org\/draft-07\/schema#?$/.test(id)) return '07';
  return null;
}

/** Deepest nesting of objects and arrays a payload schema may have. */
export const MAX_SCHEMA_DEPTH = 64;

class TooDeep extends Error {}

/** Sorted-key JSON text: equal schemas share one compiled validator. Throws TooDeep past MAX_SCHEMA_DEPTH. */
function canonical(value: unknown, depth = 0): string {
  if (depth > MAX_SCHEMA_DEPTH) throw new TooDeep();
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v, depth + 1)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v, depth + 1)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function describe(error: ErrorObject): { path: string; text: string } {
  let pointer = error.instancePath;
  let text = error.message ?? 'is invalid';
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required' && typeof params['missingProperty'] === 'string') {
    pointer = `${pointer}/${params['missingProperty'].replace(/~/g, '~0').replace(/\//g, '~1')}`;
    text = 'is required';
  } else if (error.keyword === 'additionalProperties' && typeof params['additionalProperty'] === 'string') {
    pointer = `${pointer}/${params['additionalProperty'].replace(/~/g, '~0').replace(/\//g, '~1')}`;
    text = 'is not an allowed property';
  }
  return { path: pointerToPath(pointer), text };
}

/** `$.payloadSchema` + `/properties/temp/type` → `$.payloadSchema.properties.temp.type`. */
function underBase(base: string, pointer: string): string {
  return base + pointerToPath(pointer).slice(1);
}

/**
 * Compiles payload JSON Schemas with ajv (draft 2020-12 by default; 2019-09 and draft-07 when `$schema`
 * names them), once per distinct schema: flows with the same schema share a validator, and a reload
 * that changes nothing compiles nothing. Unknown keywords and formats are errors, not silently ignored.
 */
export class SchemaCompiler {
  readonly #instances = new Map<Draft, Ajv>();
  readonly #cache = new Map<string, CompiledSchema>();

  #ajv(draft: Draft): Ajv {
    let ajv = this.#instances.get(draft);
    if (!ajv) {
      const options = {
        allErrors: true,
        strict: true,
        strictTypes: false,
        strictTuples: false,
        strictRequired: false,
        allowUnionTypes: true,
        // Valid JSON Schema that strict mode only suspects: a property both named and matched by a
        // pattern (the contracts' reading schemas do this on purpose).
        allowMatchingProperties: true,
        addUsedSchema: false,
        // Patterns run in linear time (RE2JS): a backtracking pattern cannot freeze the router.
        code: { regExp: linearRegExp },
        logger: false as const,
      };
      ajv =
        draft === '2020' ? new Ajv2020(options) : draft === '2019' ? new Ajv2019(options) : new Ajv(options);
      addFormats(ajv);
      this.#instances.set(draft, ajv);
    }
    return ajv;
  }

  /** Number of distinct compiled schemas held. */
  get size(): number {
    return this.#cache.size;
  }

  compile(schema: Record<string, unknown>, basePath = '$.payloadSchema'): SchemaCompile {
    let key: string;
    try {
      key = canonical(schema);
    } catch (e) {
      if (!(e instanceof TooDeep)) throw e;
      return {
        ok: false,
        problems: [{ path: basePath, message: `is nested deeper than ${MAX_SCHEMA_DEPTH} levels` }],
      };
    }
    const cached = this.#cache.get(key);
    if (cached) return { ok: true, schema: cached };
    const draft = draftOf(schema);
    if (draft === null) {
      return {
        ok: false,
        problems: [
          {
            path: `${basePath}.$schema`,
            message: 'names an unsupported draft (use 2020-12, 2019-09 or draft-07)',
          },
        ],
      };
    }
    const ajv = this.#ajv(draft);
    if (!ajv.validateSchema(schema)) {
      const problems = (ajv.errors ?? []).map((e) => ({
        path: underBase(basePath, e.instancePath),
        message: e.message ?? 'is invalid',
      }));
      return { ok: false, problems };
    }
    let validate: ValidateFunction;
    try {
      validate = ajv.compile(schema);
    } catch (e) {
      return { ok: false, problems: [{ path: basePath, message: (e as Error).message }] };
    } finally {
      // ajv caches by schema object; the validator keeps working without it, and this cache is ours.
      ajv.removeSchema(schema);
    }
    const compiled: CompiledSchema = {
      validate(value: unknown): PayloadCheck {
        if (validate(value)) return { ok: true };
        const described = (validate.errors ?? []).map(describe);
        const first = described[0] ?? { path: '$', text: 'is invalid' };
        return {
          ok: false,
          path: first.path,
          message: `${first.path} ${first.text}`,
          problems: described.map((d) => `${d.path} ${d.text}`),
        };
      },
    };
    this.#cache.set(key, compiled);
    return { ok: true, schema: compiled };
  }

  /** Forgets compiled schemas no flow uses any more (called after a reload). */
  retain(inUse: Iterable<CompiledSchema>): void {
    const keep = new Set(inUse);
    for (const [key, compiled] of this.#cache) if (!keep.has(compiled)) this.#cache.delete(key);
  }
}
