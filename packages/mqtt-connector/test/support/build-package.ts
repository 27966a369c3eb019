import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is packages/mqtt-connector/test/support/build-package.ts). */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Builds @iotgw/mqtt-connector and the workspace packages it imports (turbo, cached), so that a child
 * process can run the package the way an app does: plain Node cannot load the TypeScript sources,
 * whose relative imports end in `.js`.
 */
export function buildPackage(): void {
  const r = spawnSync(
    `${repoRoot}node_modules/.bin/turbo`,
    ['run', 'build', '--filter=@iotgw/mqtt-connector', '--output-logs=errors-only'],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  if (r.status !== 0) {
    throw new Error(
      `building @iotgw/mqtt-connector failed (${r.error?.message ?? r.status}): ${r.stdout}${r.stderr}`,
    );
  }
}
