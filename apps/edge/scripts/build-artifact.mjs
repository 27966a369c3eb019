// Builds the deployable iotgw-edge artifact for a Raspberry Pi (linux-arm64) or an x64 box:
//   iotgw-edge-<version>-linux-<arch>.tar.gz = iotgw-edge.mjs (one bundled ESM file, esbuild)
//                                            + node_modules/ with only the native modules and their deps
//                                            + the systemd unit, an example config, INSTALL.md
// Usage: node apps/edge/scripts/build-artifact.mjs [--arch arm64|x64] [--out DIR]
//        pnpm --filter @iotgw/edge artifact -- --arch arm64   (pnpm passes the `--` through: ignored)
// Native modules come from this checkout's install (no network): serialport's N-API prebuilds cover
// linux-x64 and linux-arm64; noble's HCI socket (a NAN addon, tied to the Node major) is compiled at
// install time for the build machine, and for the other arch here with Debian's cross toolchain
// (crossbuild-essential-arm64, see cross-build-hci.mjs), so the target needs no compiler.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { arch as hostArch } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { crossBuildHciSocket, crossToolchain } from './cross-build-hci.mjs';

// A problem (bad option, missing toolchain) is one line on stderr and exit 1, not a stack trace.
for (const event of ['uncaughtException', 'unhandledRejection'])
  process.on(event, (e) => {
    console.error(`build-artifact: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
const here = dirname(fileURLToPath(import.meta.url));
const appDir = join(here, '..');
const repoRoot = join(appDir, '..', '..');
const argv = process.argv.slice(2);
const { values } = parseArgs({
  args: argv[0] === '--' ? argv.slice(1) : argv,
  options: { arch: { type: 'string', default: 'arm64' }, out: { type: 'string' } },
});
const arch = values.arch;
if (arch !== 'arm64' && arch !== 'x64') throw new Error(`--arch must be arm64 or x64, not ${arch}`);
const pkg = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8'));
const name = `iotgw-edge-${pkg.version}-linux-${arch}`;
const nativeArch = arch === (hostArch() === 'arm64' ? 'arm64' : 'x64');
if (!nativeArch) {
  if (arch !== 'arm64') throw new Error(`cannot build the HCI socket for ${arch} on ${hostArch()}`);
  crossToolchain(); // fails now, before anything is built, when the cross compiler is missing
}
const outDir = values.out ?? join(repoRoot, 'artifacts');
const stage = join(outDir, name);
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

/** Resolved at run time from the artifact's node_modules, never bundled (native code, or loaded lazily). */
const NATIVE = ['serialport', '@abandonware/noble'];

await build({
  entryPoints: [join(appDir, 'src/main.ts')],
  outfile: join(stage, 'iotgw-edge.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  conditions: ['@iotgw/source'],
  external: [...NATIVE, '@serialport/*', '@abandonware/*'],
  legalComments: 'none',
  logLevel: 'warning',
  banner: {
    js: [
      "import { createRequire as __iotgwCreateRequire } from 'node:module';",
      'const require = __iotgwCreateRequire(import.meta.url);',
      `globalThis.__IOTGW_EDGE_VERSION__ = ${JSON.stringify(pkg.version)};`,
    ].join('\n'),
  },
});

// Copy each native module with its dependencies (real folders, not pnpm symlinks).
const copied = new Set();
/** Where `spec` is installed as seen from `fromDir` (Node's lookup: every node_modules up the tree). */
function findPackageDir(spec, fromDir) {
  for (let d = fromDir; ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', spec);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(d) === d) return undefined;
  }
}
/**
 * Not shipped: node-usb (noble's USB-dongle binding, unused: iotgw uses the HCI socket) and the tools that
 * would rebuild the HCI socket (node-gyp, node-pre-gyp, nan): it is built here for the target.
 */
const SKIP = new Set(['usb', 'node-gyp', '@mapbox/node-pre-gyp', 'nan']);
function copyPackage(spec, fromDir) {
  if (SKIP.has(spec)) return false;
  const src = findPackageDir(spec, fromDir);
  if (!src) return false;
  if (copied.has(spec)) return true;
  copied.add(spec);
  cpSync(src, join(stage, 'node_modules', spec), {
    recursive: true,
    dereference: true,
    filter: (p) =>
      !p.startsWith(`${src}/node_modules`) &&
      !/\/(test|tests|examples|docs?)(\/|$)/.test(p.slice(src.length)),
  });
  const m = JSON.parse(readFileSync(join(src, 'package.json'), 'utf8'));
  for (const dep of Object.keys({ ...m.dependencies, ...m.optionalDependencies })) copyPackage(dep, src);
  return true;
}
const bleDir = join(repoRoot, 'packages/ble');
const wmbusDir = join(repoRoot, 'packages/wmbus');
if (!copyPackage('serialport', wmbusDir)) throw new Error('serialport is not installed: run pnpm install');
const noble = copyPackage('@abandonware/noble', bleDir);

// Keep only this arch's prebuilt binaries; drop an HCI socket compiled for another arch.
for (const prebuilds of [join(stage, 'node_modules/@serialport/bindings-cpp/prebuilds')]) {
  if (!existsSync(prebuilds)) continue;
  for (const dir of readdirSync(prebuilds))
    if (dir !== `linux-${arch}`) rmSync(join(prebuilds, dir), { recursive: true, force: true });
}
// noble's own addon is for macOS and Windows only (empty on Linux, never loaded there): not shipped.
rmSync(join(stage, 'node_modules/@abandonware/noble/build'), { recursive: true, force: true });
// The HCI socket loads build/Release/bluetooth_hci_socket.node; ship only that (no objects, no Makefiles).
const hci = join(stage, 'node_modules/@abandonware/bluetooth-hci-socket');
const HCI_NODE = 'build/Release/bluetooth_hci_socket.node';
let hciBuild = 'included without its HCI socket (not installed here): no BLE radio scanning';
if (existsSync(hci)) {
  const hciSrc = findPackageDir(
    '@abandonware/bluetooth-hci-socket',
    findPackageDir('@abandonware/noble', bleDir),
  );
  let built = { file: join(hciSrc, HCI_NODE), cleanup: () => {} };
  if (!nativeArch) built = crossBuildHciSocket(hciSrc, (spec) => findPackageDir(spec, hciSrc));
  else {
    // Built by pnpm install: make sure it was built for this Node (the machine's npmrc may name other headers).
    try {
      createRequire(import.meta.url)(built.file);
    } catch (e) {
      throw new Error(
        `noble's HCI socket ${built.file} does not load in Node ${process.version} (${String(e.message).split('\n')[0]}): run pnpm install with npm_config_nodedir set to this Node's folder`,
      );
    }
  }
  for (const dir of ['build', 'lib/binding']) rmSync(join(hci, dir), { recursive: true, force: true });
  mkdirSync(dirname(join(hci, HCI_NODE)), { recursive: true });
  cpSync(built.file, join(hci, HCI_NODE));
  built.cleanup();
  hciBuild = `HCI socket built for linux-${arch}, Node ${process.versions.node.split('.')[0]} (NODE_MODULE_VERSION ${process.versions.modules})`;
}

cpSync(join(repoRoot, 'infra/systemd/iotgw-edge.service'), join(stage, 'iotgw-edge.service'));
cpSync(join(repoRoot, 'infra/edge/edge.yaml'), join(stage, 'edge.example.yaml'));
cpSync(join(repoRoot, 'docs/edge.md'), join(stage, 'INSTALL.md'));
writeFileSync(
  join(stage, 'BUILD-INFO.json'),
  `${JSON.stringify(
    {
      name: 'iotgw-edge',
      version: pkg.version,
      platform: `linux-${arch}`,
      node: `${process.versions.node.split('.')[0]} (the HCI socket's ABI); >= 22.13 without BLE radio scanning`,
      serialport: `prebuilt N-API binary for linux-${arch}`,
      noble: noble ? hciBuild : 'not included',
      builtAt: new Date().toISOString(),
    },
    null,
    2,
  )}\n`,
);
const tarball = join(outDir, `${name}.tar.gz`);
const tar = spawnSync('tar', ['-czf', tarball, '-C', outDir, name], { stdio: 'inherit' });
if (tar.status !== 0) throw new Error('tar failed');
rmSync(stage, { recursive: true, force: true });
console.log(tarball);
