import { pointerToPath } from '@iotgw/contracts';
import { RouterError } from '@iotgw/flow-router';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, type ApiErrorCode, type ApiProblem } from './api-error.js';

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

type Context = NonNullable<ApiProblem['in']>;

/** An ajv error (fastify's own validator) as a problem with a JSONPath: `$.topic is required`. */
export function problemOf(error: AjvError, where: Context): ApiProblem {
  let pointer = error.instancePath;
  let message = error.message ?? 'is invalid';
  const p = error.params;
  if (error.keyword === 'required' && typeof p['missingProperty'] === 'string') {
    pointer = `${pointer}/${p['missingProperty']}`;
    message = 'is required';
  } else if (error.keyword === 'additionalProperties' && typeof p['additionalProperty'] === 'string') {
    pointer = `${pointer}/${p['additionalProperty']}`;
    message =
      p['additionalProperty'] === 'password'
        ? 'is never stored: give passwordRef (env:NAME or file:/path) instead'
        : 'is not an allowed property';
  } else if (error.keyword === 'enum' && Array.isArray(p['allowedValues'])) {
    message = `must be one of ${p['allowedValues'].map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return { in: where, path: pointerToPath(pointer), message };
}

const DATABASE_DOWN = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'SQLITE_BUSY',
]);

function fromRouterError(err: RouterError): ApiError {
  switch (err.code) {
    case 'ROUTER_ERR_VALIDATION':
      return new ApiError(
        400,
        'validation',
        err.message,
        err.problems.map((p) => ({ in: 'body', path: p.path, message: p.message })),
      );
    case 'ROUTER_ERR_CURSOR':
      return new ApiError(400, 'validation', err.message, [
        { in: 'querystring', path: '$.cursor', message: err.message },
      ]);
    case 'ROUTER_ERR_NOT_FOUND':
      return new ApiError(404, 'not_found', err.message);
    case 'ROUTER_ERR_CONFLICT':
      return new ApiError(409, 'conflict', err.message);
    case 'ROUTER_ERR_HAS_DATA':
      return new ApiError(409, 'has_data', err.message);
    case 'ROUTER_ERR_STATE':
      return new ApiError(503, 'unavailable', err.message);
    default:
      return new ApiError(500, 'internal', 'internal error');
  }
}

function classify(error: FastifyError & { validationContext?: string }): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof RouterError) return fromRouterError(error);
  if (Array.isArray(error.validation)) {
    const where = (error.validationContext ?? 'body') as Context;
    return ApiError.validation(error.validation.map((e) => problemOf(e as AjvError, where)));
  }
  const code = typeof error.code === 'string' ? error.code : '';
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new ApiError(413, 'payload_too_large', error.message);
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return new ApiError(415, 'unsupported_media_type', 'the body must be application/json');
  if (error.statusCode === 429) return new ApiError(429, 'rate_limited', error.message);
  if (DATABASE_DOWN.has(code) || DATABASE_DOWN.has(String((error.cause as { code?: unknown })?.code))) {
    return new ApiError(503, 'unavailable', 'the database is unreachable; try again later');
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Fastify's own client errors have fixed messages that never quote the request.
    const kind: ApiErrorCode = status === 404 ? 'not_found' : 'bad_request';
    return new ApiError(status, kind, code.startsWith('FST_') ? error.message : 'bad request');
  }
  return new ApiError(500, 'internal', 'internal error');
}

/**
 * Every error becomes `{ error, message, problems? }` with its status. Bodies are never logged (the
 * provisioning route carries AES keys); 5xx are logged with the error, 4xx at debug.
 */
export function handleApiError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const api = classify(error);
  if (api.statusCode >= 500) {
    request.log.error({ err: error, method: request.method, route: request.routeOptions.url }, api.message);
  } else {
    request.log.debug({ status: api.statusCode, error: api.error, message: api.message }, 'request refused');
  }
  void reply.code(api.statusCode).send({
    error: api.error,
    message: api.message,
    ...(api.problems !== undefined ? { problems: api.problems } : {}),
  });
}
