// vitest globalSetup for test projects that start built programs (apps, children on dist/): builds the
// workspace once before any test file runs (turbo; cached, about a second when nothing changed).
// `pnpm test` has already built everything; this makes `vitest run --project <name>` work on its own.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('.', import.meta.url));
  const r = spawnSync(`${root}node_modules/.bin/turbo`, ['run', 'build', '--output-logs=errors-only'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0)
    throw new Error(
      `building the workspace failed (${r.error?.message ?? r.status}): ${r.stdout}${r.stderr}`,
    );
}
