// `pnpm test`: installs if needed, builds every package (end-to-end tests run the built programs),
// runs the whole vitest suite and prints `tests: N passed, M failed` from the runner's JSON report.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build, installIfNeeded, pnpm, root } from './lib.mjs';
import { useToolchain } from './toolchain.mjs';

await useToolchain(import.meta.url);
installIfNeeded();
build();
const report = join(root, '.vitest-report.json');
rmSync(report, { force: true });
const status = pnpm(
  [
    'exec',
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...process.argv.slice(2).filter((a) => a !== '--'),
  ],
  { allowFailure: true },
);
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
} else {
  console.log('tests: 0 passed, 1 failed (the test runner wrote no report)');
}
process.exit(status);
