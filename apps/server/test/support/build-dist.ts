import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const serverMain = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

let built = false;

/**
 * Child processes run the server as it ships: `node dist/main.js`. Builds the app and its workspace
 * dependencies through turbo (a cache hit when `pnpm test` already built them).
 */
export function ensureBuilt(): void {
  if (built) return;
  execFileSync(
    `${repoRoot}node_modules/.bin/turbo`,
    ['run', 'build', '--filter=@iotgw/server', '--output-logs=errors-only'],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  built = true;
}
