/** JSON Schema pieces shared by the routes (validated by fastify's ajv, serialised by fast-json-stringify). */

export const dateTime = { type: 'string', format: 'date-time' } as const;
export const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;

export const problemSchema = {
  type: 'object',
  required: ['path', 'message'],
  properties: {
    in: { type: 'string', enum: ['body', 'querystring', 'params', 'headers'] },
    path: { type: 'string', description: 'JSONPath of the value at fault, e.g. $.payloadSchema.temp' },
    message: { type: 'string' },
  },
} as const;

export const errorSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'stable code: validation, unauthorized, forbidden, not_found, …' },
    message: { type: 'string' },
    problems: { type: 'array', items: problemSchema },
  },
} as const;

/** Error responses every authenticated route may give. */
export const readErrors = { 400: errorSchema, 401: errorSchema, 404: errorSchema, 503: errorSchema } as const;
export const writeErrors = {
  ...readErrors,
  403: errorSchema,
  409: errorSchema,
  413: errorSchema,
  429: errorSchema,
} as const;

/** `limit` and `cursor` of every paginated list. */
export function pageQuery(max: number) {
  return {
    limit: { type: 'integer', minimum: 1, maximum: max, default: 100, description: `page size, 1…${max}` },
    cursor: { type: 'string', minLength: 1, maxLength: 2000, description: 'nextCursor of the previous page' },
  } as const;
}

export const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'integer', minimum: 1 } },
} as const;

export const idList = {
  type: 'array',
  minItems: 1,
  maxItems: 1000,
  uniqueItems: true,
  items: { type: 'integer', minimum: 1 },
} as const;

/** What a reload changed and refused (the router's ReloadReport). */
export const reloadReportSchema = {
  type: 'object',
  required: [
    'at',
    'active',
    'added',
    'removed',
    'recompiled',
    'unchanged',
    'refused',
    'subscribed',
    'unsubscribed',
    'errors',
  ],
  properties: {
    at: dateTime,
    active: { type: 'integer', description: 'flows running after the reload' },
    added: { type: 'array', items: { type: 'string' } },
    removed: { type: 'array', items: { type: 'string' } },
    recompiled: { type: 'array', items: { type: 'string' } },
    unchanged: { type: 'integer' },
    refused: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'code', 'reason'],
        properties: { id: { type: 'integer' }, code: { type: 'string' }, reason: { type: 'string' } },
      },
    },
    subscribed: { type: 'array', items: { type: 'string' } },
    unsubscribed: { type: 'array', items: { type: 'string' } },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['step', 'message'],
        properties: { step: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const;
