// Shared helpers for the repository scripts (start, test, bench, soak). Plain Node, no dependencies,
// so they run before `pnpm install`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function requireNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 12)) {
    console.error(
      `iotgw needs Node.js >= 22.12 (24 LTS recommended); this is ${process.version}. ` +
        'Install Node 24 (or run .ci/run, which fetches it into .cache/node) and try again.',
    );
    process.exit(1);
  }
}

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
  if (existsSync(join(root, 'node_modules', '.modules.yaml'))) return;
  console.log('[iotgw] installing dependencies (pnpm install)…');
  pnpm(['install', ...(frozen ? ['--frozen-lockfile'] : [])]);
}

export function build() {
  pnpm(['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
}
