/** One thing wrong with a configuration: where it came from, where in the config, and what was expected. */
export interface ConfigProblem {
  /** The file (with line:col when known), `env NAME`, or `.env NAME` the value came from. */
  source: string;
  /** JSONPath in the merged configuration, e.g. `$.mqtt.url`. */
  path: string;
  message: string;
}

export type ConfigErrorCode =
  | 'CFG_ERR_FILE'
  | 'CFG_ERR_PARSE'
  | 'CFG_ERR_SCHEMA'
  | 'CFG_ERR_SECRET'
  | 'CFG_ERR_ENV';

/** A configuration that cannot be used. `problems` lists every issue found, not only the first. */
export class ConfigError extends Error {
  constructor(
    readonly code: ConfigErrorCode,
    readonly problems: readonly ConfigProblem[],
    options?: { cause?: unknown },
  ) {
    super(problems.map(formatProblem).join('\n'), options);
    this.name = 'ConfigError';
  }
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.source}: ${p.path} ${p.message}`;
}
