// `pnpm start`: installs if needed, builds, then runs the whole chain on embedded defaults
// (apps/system/src/demo.ts): in-process broker, iotgw-server on SQLite, iotgw-edge on simulated sensors.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { build, installIfNeeded, requireNode, root } from './lib.mjs';

requireNode();
installIfNeeded();
build();
// Ctrl-C reaches the demo too (same process group); it stops the chain cleanly, so wait for it here.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
const r = spawnSync(process.execPath, [join(root, 'apps/system/dist/demo.js'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
