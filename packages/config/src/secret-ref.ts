import { readFileSync } from 'node:fs';

/**
 * A secret is never written in a config file or a database row. What is stored is a reference:
 * `env:NAME` (an environment variable) or `file:/path` (a file, e.g. a Docker/systemd credential;
 * one trailing newline is removed).
 */
export type SecretRef = `env:${string}` | `file:${string}`;

export function isSecretRef(value: unknown): value is SecretRef {
  return typeof value === 'string' && /^(env:[A-Za-z_][A-Za-z0-9_]*|file:.+)$/.test(value);
}

export class SecretError extends Error {
  readonly code = 'CFG_ERR_SECRET';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SecretError';
  }
}

/** Resolves a reference to the secret it names. The error says which reference failed, never a value. */
export function resolveSecret(
  ref: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  if (!isSecretRef(ref)) {
    throw new SecretError(`'${ref.slice(0, 4)}…' is not a secret reference: use env:NAME or file:/path`);
  }
  if (ref.startsWith('env:')) {
    const name = ref.slice(4);
    const value = env[name];
    if (value === undefined || value === '')
      throw new SecretError(`environment variable ${name} (from ${ref}) is not set`);
    return value;
  }
  const path = ref.slice(5);
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (cause) {
    throw new SecretError(
      `cannot read secret file ${path}: ${(cause as NodeJS.ErrnoException).code ?? 'error'}`,
      {
        cause,
      },
    );
  }
}
