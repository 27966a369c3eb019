export { type CreateLoggerOptions, createLogger, type Logger } from './create-logger.js';
export { REDACTED, redactPaths } from './redaction.js';
export { createTestLogger, type TestLogger } from './test-sink.js';
