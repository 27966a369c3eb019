/** One problem with a request, located by a JSONPath relative to where it was (`in`). */
export interface ApiProblem {
  readonly in?: 'body' | 'querystring' | 'params' | 'headers';
  readonly path: string;
  readonly message: string;
}

/** A stable error code in every error body: `{ error, message, problems? }`. */
export type ApiErrorCode =
  | 'validation'
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'has_data'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

/** An error a route throws on purpose; the error handler turns it into its status and body. */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly error: ApiErrorCode;
  readonly problems: readonly ApiProblem[] | undefined;

  constructor(statusCode: number, error: ApiErrorCode, message: string, problems?: readonly ApiProblem[]) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.error = error;
    this.problems = problems;
  }

  static notFound(message: string): ApiError {
    return new ApiError(404, 'not_found', message);
  }

  static validation(problems: readonly ApiProblem[]): ApiError {
    const text = problems.map((p) => `${p.path} ${p.message}`).join('; ');
    return new ApiError(400, 'validation', `invalid request: ${text}`, problems);
  }
}
