// `pnpm start`: installs if needed, builds, then runs the whole chain on embedded defaults
// (apps/system/src/demo.ts): in-process broker, iotgw-server on SQLite, iotgw-edge on simulated sensors.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { build, installIfNeeded, root } from './lib.mjs';
import { useToolchain } from './toolchain.mjs';

await useToolchain(import.meta.url);
installIfNeeded();
build();
// Ctrl-C reaches the demo too (same process group); it stops the chain cleanly, so wait for it here.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
const r = spawnSync(
  process.execPath,
  [join(root, 'apps/system/dist/demo.js'), ...process.argv.slice(2).filter((a) => a !== '--')],
  {
    stdio: 'inherit',
  },
);
process.exit(r.status ?? 1);
