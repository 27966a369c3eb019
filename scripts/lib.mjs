// Shared helpers for the repository scripts (start, test, bench, soak). Plain Node, no dependencies,
// so they run before `pnpm install`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs pnpm (the one that started this script, when there is one) and exits on failure. */
export function pnpm(args, options = {}) {
  const execpath = process.env.npm_execpath;
  const [cmd, argv] =
    execpath && /pnpm/.test(execpath)
      ? execpath.endsWith('.cjs') || execpath.endsWith('.js')
        ? [process.execPath, [execpath, ...args]]
        : [execpath, args]
      : ['pnpm', args];
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit', ...options });
  if (r.error) {
    console.error(`cannot run pnpm (${r.error.message}); install it with: npm i -g pnpm@10`);
    process.exit(1);
  }
  if (r.status !== 0 && !options.allowFailure) process.exit(r.status ?? 1);
  return r.status ?? 1;
}

/** Installs dependencies when node_modules is missing or older than the lockfile. */
export function installIfNeeded({ frozen = true } = {}) {
  const installed = join(root, 'node_modules', '.pnpm', 'lock.yaml');
  const same =
    existsSync(installed) &&
    readFileSync(installed, 'utf8') === readFileSync(join(root, 'pnpm-lock.yaml'), 'utf8');
  if (same && existsSync(join(root, 'node_modules', '.modules.yaml'))) return;
  console.log('[iotgw] installing dependencies (pnpm install)…');
  pnpm(['install', ...(frozen ? ['--frozen-lockfile'] : [])]);
}

export function build() {
  pnpm(['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
}
