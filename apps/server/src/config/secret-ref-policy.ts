import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * Which secrets a stored `mqtt_servers.passwordRef` may name. An admin token can write the table, so
 * without a policy `env:DATABASE_URL` would send the database password to a broker of their choosing.
 */
export interface SecretRefPolicy {
  /** Patterns of the variable names an `env:` reference may name (`*` = any characters), e.g. `MQTT_*`. */
  readonly envAllow: readonly string[];
  /** The directory `file:` references must lie under (after `..` and symlinks are resolved). */
  readonly secretsDir: string;
}

export const DEFAULT_SECRET_REF_POLICY: SecretRefPolicy = Object.freeze({
  envAllow: Object.freeze(['MQTT_*']),
  secretsDir: '/run/secrets',
});

const ENV_PATTERN = /^[A-Za-z_*][A-Za-z0-9_*]*$/;

/** Why `pattern` cannot be an env allow-list entry, or null. */
export function envPatternProblem(pattern: string): string | null {
  return ENV_PATTERN.test(pattern)
    ? null
    : `'${pattern}' is not a variable name pattern (letters, digits, _ and * only)`;
}

function envAllowed(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) =>
    new RegExp(
      `^${p
        .split('*')
        .map((part) => part.replace(/[^A-Za-z0-9_]/g, ''))
        .join('.*')}$`,
    ).test(name),
  );
}

/** The real path of `path`, resolving symlinks of the part that exists (the rest is appended as is). */
function realPathOf(path: string): string {
  const missing: string[] = [];
  let at = path;
  while (!existsSync(at)) {
    const parent = dirname(at);
    if (parent === at) return path;
    missing.unshift(basename(at));
    at = parent;
  }
  try {
    return join(realpathSync(at), ...missing);
  } catch {
    return path;
  }
}

function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/**
 * Why `ref` may not be stored or used under `policy`, or null when it may. `env:NAME` must match an
 * allow-list pattern; `file:/path` must be absolute, without `..` segments, and lie under the secrets
 * directory once symlinks are resolved (as far as the path exists: checked again when it is used).
 * The message never repeats the reference: a caller may have put a password there by mistake.
 */
export function secretRefProblem(ref: string, policy: SecretRefPolicy): string | null {
  if (ref.startsWith('env:')) {
    const name = ref.slice(4);
    if (envAllowed(name, policy.envAllow)) return null;
    return `names a variable outside the allow-list: env references may only name variables matching ${policy.envAllow.join(', ')} (SECRET_REF_ENV_ALLOW)`;
  }
  if (ref.startsWith('file:')) {
    const path = ref.slice(5);
    const where = `file references must name a file under ${policy.secretsDir} (SECRET_REF_DIR)`;
    if (!isAbsolute(path)) return `is not an absolute path: ${where}`;
    if (path.split(/[\\/]/).includes('..')) return `may not contain '..': ${where}`;
    const dir = realPathOf(resolve(policy.secretsDir));
    if (!inside(resolve(policy.secretsDir), resolve(path)) || !inside(dir, realPathOf(resolve(path)))) {
      return `is outside the secrets directory: ${where}`;
    }
    return null;
  }
  return 'is not a secret reference (env:NAME or file:/path)';
}

/** `env` reduced to the variables an `env:` reference may name under `policy`. */
export function allowedSecretEnv(
  env: Readonly<Record<string, string | undefined>>,
  policy: SecretRefPolicy,
): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => envAllowed(name, policy.envAllow)));
}
