import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, type Logger } from '@iotgw/logger';
import { pino } from 'pino';

/**
 * The root logger: JSON lines on standard output (pretty on a terminal); with LOG_DIR (the legacy
 * setting) also appended to LOG_DIR/iotgw-server.log. Secrets are redacted by @iotgw/logger.
 */
export function createServerLogger(options: { level: string; logDir: string | undefined }): Logger {
  if (options.logDir === undefined) return createLogger({ name: 'iotgw-server', level: options.level });
  mkdirSync(options.logDir, { recursive: true });
  const file = pino.destination({
    dest: join(options.logDir, 'iotgw-server.log'),
    append: true,
    sync: false,
  });
  const stdout = pino.destination({ dest: 1, sync: false });
  return createLogger({
    name: 'iotgw-server',
    level: options.level,
    format: 'json',
    destination: pino.multistream([
      { stream: stdout, level: 'trace' },
      { stream: file, level: 'trace' },
    ]),
  });
}
