/**
 * Paths pino censors in every log line. A secret may sit at the top of the logged object or one or
 * two levels down (`{ config: { mqtt: { password } } }`), so each key is listed at three depths.
 */
const SECRET_KEYS = [
  'password',
  'passphrase',
  'encryptionKey',
  'key',
  'bindkey',
  'secret',
  'token',
  'apiToken',
  'authorization',
  'cookie',
];

export const redactPaths: readonly string[] = [
  ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.headers.authorization',
  'res.headers["set-cookie"]',
];

export const REDACTED = '[redacted]';
