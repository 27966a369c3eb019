import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger } from './create-logger.js';

export interface TestLogger {
  logger: Logger;
  /** Every line logged so far, parsed. */
  records(): Record<string, unknown>[];
  /** Every line logged so far, raw, joined by newlines: what an operator would read. */
  text(): string;
}

/** A logger that keeps its JSON lines in memory, for tests that assert on what is logged (and redacted). */
export function createTestLogger(name = 'test', level = 'trace'): TestLogger {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(line);
      done();
    },
  });
  const logger = createLogger({ name, level, format: 'json', destination: sink });
  return {
    logger,
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    text: () => lines.join('\n'),
  };
}
