// `pnpm soak -- --minutes N`: builds, then runs apps/system/src/soak.ts (the full chain under random faults).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { build, installIfNeeded, root } from './lib.mjs';
import { useToolchain } from './toolchain.mjs';

await useToolchain(import.meta.url);
installIfNeeded();
build();
const args = process.argv.slice(2).filter((a) => a !== '--');
const r = spawnSync(process.execPath, [join(root, 'apps/system/dist/soak.js'), ...args], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
