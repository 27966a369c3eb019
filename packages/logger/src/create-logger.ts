import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import pretty from 'pino-pretty';
import { REDACTED, redactPaths } from './redaction.js';

export type { Logger } from 'pino';

export interface CreateLoggerOptions {
  /** Program or component name, bound as `name` on every line. */
  name: string;
  /** pino level; default `info` (or LOG_LEVEL read by the app's config). */
  level?: string;
  /** `auto` (default): pretty when the destination is a TTY, JSON otherwise. */
  format?: 'json' | 'pretty' | 'auto';
  /** Where lines go; default standard output. */
  destination?: DestinationStream;
  /** Extra paths to redact besides the standard secret paths. */
  redact?: readonly string[];
  /** Fields bound on every line. */
  base?: Record<string, unknown>;
}

/**
 * Creates the app's root logger. Loggers are passed down explicitly (child loggers bound to
 * `{ module }`); nothing in iotgw reaches for a global logger.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const format =
    options.format === 'auto' || options.format === undefined
      ? options.destination === undefined && process.stdout.isTTY
        ? 'pretty'
        : 'json'
      : options.format;
  const pinoOptions: LoggerOptions = {
    name: options.name,
    level: options.level ?? 'info',
    base: { ...(options.base ?? {}) },
    redact: { paths: [...redactPaths, ...(options.redact ?? [])], censor: REDACTED },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  if (format === 'pretty') {
    const stream = pretty({
      colorize: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
      destination: options.destination ?? 1,
      sync: true,
    });
    return pino(pinoOptions, stream);
  }
  return pino(pinoOptions, options.destination ?? pino.destination({ dest: 1, sync: false }));
}
