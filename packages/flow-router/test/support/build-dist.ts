import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

let built = false;

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const root = fileURLToPath(new URL('../../../..', import.meta.url));

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** dist/ of this package is newer than its sources, and its workspace dependencies are built. */
function upToDate(): boolean {
  const entry = join(packageDir, 'dist', 'index.js');
  if (!existsSync(entry) || statSync(entry).mtimeMs < newest(join(packageDir, 'src'))) return false;
  return ['contracts', 'config', 'logger'].every((p) =>
    existsSync(join(root, 'packages', p, 'dist', 'index.js')),
  );
}

/**
 * Child processes run the router with plain `node`, which imports the package's dist/ (the .ts sources
 * use .js import specifiers). Builds the package and its workspace dependencies through turbo unless
 * dist/ is already newer than the sources (as after `pnpm test`, which builds first).
 */
export function ensureBuilt(): void {
  if (built || upToDate()) {
    built = true;
    return;
  }
  execFileSync(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--filter=@iotgw/flow-router', '--output-logs=errors-only'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  built = true;
}
