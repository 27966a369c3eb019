export { ConfigError, type ConfigErrorCode, type ConfigProblem, formatProblem } from './config-error.js';
export {
  type ConfigCheck,
  checkConfig,
  DEFAULT_SECRET_KEYS,
  type LoadConfigOptions,
  loadConfig,
} from './load-config.js';
export { isSecretRef, resolveSecret, SecretError, type SecretRef } from './secret-ref.js';
