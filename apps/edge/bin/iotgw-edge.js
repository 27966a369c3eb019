#!/usr/bin/env node
// The `iotgw-edge` command: runs the build, ../dist/main.js (this file is committed so that installing can link
// the command before the first build).
import { existsSync } from 'node:fs';

const program = new URL('../dist/main.js', import.meta.url);
if (!existsSync(program)) {
  process.stderr.write(
    'iotgw-edge: not built yet; build it with: pnpm exec turbo run build (or npm start)\n',
  );
  process.exit(1);
}
await import(program.href);
