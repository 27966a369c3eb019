import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

let built = false;

/**
 * Child processes run the router with plain `node`, which imports the package's dist/ (the .ts sources
 * use .js import specifiers). Builds the package and its workspace dependencies through turbo (a cache
 * hit when `pnpm test` already built them).
 */
export function ensureBuilt(): void {
  if (built) return;
  const root = fileURLToPath(new URL('../../../..', import.meta.url));
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
