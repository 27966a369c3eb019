/** Stable codes for the errors the flow router throws (programmer and configuration errors only). */
export type RouterErrorCode =
  | 'ROUTER_ERR_SETTING'
  | 'ROUTER_ERR_DATABASE_URL'
  | 'ROUTER_ERR_STATE'
  | 'ROUTER_ERR_VALIDATION'
  | 'ROUTER_ERR_NOT_FOUND'
  | 'ROUTER_ERR_CONFLICT'
  | 'ROUTER_ERR_HAS_DATA'
  | 'ROUTER_ERR_CURSOR';

/** One problem with an input, located by a JSONPath such as `$.payloadSchema.temp`. */
export interface InputProblem {
  readonly path: string;
  readonly message: string;
}

export interface RouterErrorOptions {
  cause?: unknown;
  /** For ROUTER_ERR_SETTING: the environment variable at fault. */
  setting?: string;
  /** For ROUTER_ERR_VALIDATION: every problem found, each with its JSON path. */
  problems?: readonly InputProblem[];
}

export class RouterError extends Error {
  readonly code: RouterErrorCode;
  readonly setting: string | undefined;
  readonly problems: readonly InputProblem[];

  constructor(code: RouterErrorCode, message: string, options: RouterErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RouterError';
    this.code = code;
    this.setting = options.setting;
    this.problems = options.problems ?? [];
  }
}

/** A validation error listing every problem: "$.topic: '#' must be the whole last level; …". */
export function validationError(what: string, problems: readonly InputProblem[]): RouterError {
  const text = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  return new RouterError('ROUTER_ERR_VALIDATION', `invalid ${what}: ${text}`, { problems });
}
