// `pnpm start`: installs if needed, builds, then runs iotgw on embedded defaults.
// Until the edge and server apps exist, this runs the contracts demo.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { build, installIfNeeded, requireNode, root } from './lib.mjs';

requireNode();
installIfNeeded();
build();
const r = spawnSync(
  process.execPath,
  [join(root, 'packages/contracts/dist/demo.js'), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
process.exit(r.status ?? 1);
