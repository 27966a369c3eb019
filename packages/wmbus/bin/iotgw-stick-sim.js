#!/usr/bin/env node
// The `iotgw-stick-sim` command: runs the build, ../dist/simulator/cli.js (this file is committed so that installing can link
// the command before the first build).
import { existsSync } from 'node:fs';

const program = new URL('../dist/simulator/cli.js', import.meta.url);
if (!existsSync(program)) {
  process.stderr.write(
    'iotgw-stick-sim: not built yet; build it with: pnpm exec turbo run build (or npm start)\n',
  );
  process.exit(1);
}
await import(program.href);
