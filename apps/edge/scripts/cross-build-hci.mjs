// Builds noble's HCI socket (@abandonware/bluetooth-hci-socket, a NAN addon) for linux-arm64 on an x64
// build machine with Debian's cross toolchain (crossbuild-essential-arm64), against the headers of the
// Node that runs this script: the addon then loads in the same Node major on the Pi (its ABI is recorded).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const MODULE = 'bluetooth_hci_socket';

/**
 * The folder holding include/node of the running Node: npm_config_nodedir when its headers are of the
 * same Node major (the machine's npmrc may point at another Node's), else the running Node's own folder.
 */
export function nodeHeadersDir() {
  const major = process.versions.node.split('.')[0];
  for (const dir of [process.env['npm_config_nodedir'], dirname(dirname(process.execPath))]) {
    const h = dir && join(dir, 'include/node/node_version.h');
    if (
      h &&
      existsSync(h) &&
      new RegExp(`#define NODE_MAJOR_VERSION ${major}\\b`).test(readFileSync(h, 'utf8'))
    )
      return dir;
  }
  throw new Error(`cannot build noble's HCI socket: no headers of Node ${major} (set npm_config_nodedir)`);
}

/**
 * The arm64 C and C++ cross compilers and the Node headers, or a clear error naming what is missing.
 * Called before anything is built, so a build machine without them fails at once.
 */
export function crossToolchain() {
  const cc = process.env['IOTGW_CROSS_CC'] || 'aarch64-linux-gnu-gcc';
  const cxx = process.env['IOTGW_CROSS_CXX'] || 'aarch64-linux-gnu-g++';
  for (const tool of [cc, cxx])
    if (spawnSync(tool, ['--version']).status !== 0)
      throw new Error(
        `cannot build noble's HCI socket for arm64: ${tool} is missing (sudo apt-get install crossbuild-essential-arm64)`,
      );
  return { cc, cxx, nodedir: nodeHeadersDir() };
}

/**
 * Compiles the addon whose sources are in `srcDir` (binding.gyp, src/) for arm64 and returns the path of
 * the built .node file inside a temporary folder. `resolve(spec)` finds node-gyp and nan.
 * Throws a clear error naming what is missing (the cross compiler, the headers, node-gyp).
 */
export function crossBuildHciSocket(srcDir, resolve) {
  const { cc, cxx, nodedir } = crossToolchain();
  const nodeGyp = resolve('node-gyp');
  const nan = resolve('nan');
  if (!nodeGyp || !nan)
    throw new Error('node-gyp or nan is not installed beside the HCI socket: run pnpm install');
  const work = mkdtempSync(join(tmpdir(), 'iotgw-hci-arm64-'));
  for (const part of ['binding.gyp', 'src', 'package.json'])
    cpSync(join(srcDir, part), join(work, part), { recursive: true });
  mkdirSync(join(work, 'node_modules'));
  symlinkSync(nan, join(work, 'node_modules/nan'));
  const r = spawnSync(
    process.execPath,
    [
      join(nodeGyp, 'bin/node-gyp.js'),
      'rebuild',
      '--arch=arm64',
      `--nodedir=${nodedir}`,
      `--module_name=${MODULE}`,
      `--module_path=${join(work, 'lib/binding')}`,
    ],
    { cwd: work, encoding: 'utf8', env: { ...process.env, CC: cc, CXX: cxx } },
  );
  const built = join(work, `build/Release/${MODULE}.node`);
  if (r.status !== 0 || !existsSync(built)) {
    const tail = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-15).join('\n');
    rmSync(work, { recursive: true, force: true });
    throw new Error(`cannot build noble's HCI socket for arm64 (node-gyp exit ${r.status}):\n${tail}`);
  }
  return { file: built, cleanup: () => rmSync(work, { recursive: true, force: true }) };
}
