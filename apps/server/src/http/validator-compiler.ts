import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS with a default export; under NodeNext its default arrives as the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

const base: Options = {
  allErrors: true,
  removeAdditional: false,
  useDefaults: true,
  addUsedSchema: false,
  strict: false,
};

/**
 * Fastify's validation with two ajv instances: query strings and path parameters are text, so they are
 * coerced (`?limit=10`, `?enabled=true`); JSON bodies are not (`"topic": 7` is an error, not "7").
 * Every error is reported (allErrors) so that a response lists each problem with its path; the body
 * limit bounds the cost.
 */
export function validatorCompiler(): FastifySchemaCompiler<object> {
  const strict = addFormats(new Ajv({ ...base, coerceTypes: false }));
  const coercing = addFormats(new Ajv({ ...base, coerceTypes: 'array' }));
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema);
}
