// The toolchain iotgw runs under: Node >= 22.13 and pnpm 10. When the running Node is older or pnpm is
// missing, fetches Node 24 (`npm pack node-<platform>-<arch>@24`) and pnpm (`npm pack pnpm@<packageManager>`)
// from the npm registry into .cache/, says so in one line, and re-runs the calling script under them.
// The one implementation behind `npm start`, `npm test`, `pnpm bench`, `pnpm soak` and `.ci/run`.
// Plain JavaScript that runs on Node 18 with no dependencies (it runs before anything is installed).
//
//   node scripts/toolchain.mjs env   ensures the toolchain, prints `export PATH=…` lines for a shell
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const NODE_MIN = '22.13';
/** The Node major fetched when the machine's is older than NODE_MIN. */
export const NODE_FETCHED_MAJOR = 24;
const cache = join(root, '.cache');
const nodeHome = join(cache, 'node');
const pnpmHome = join(cache, 'pnpm');
const shimDir = join(cache, 'bin');
/** Where the one progress line goes (stderr when stdout is for a shell to evaluate). */
let progress = process.stdout;

/** True when `version` ("v24.1.0" or "24.1.0") is at least NODE_MIN. */
export function nodeVersionOk(version) {
  const [major, minor] = String(version).replace(/^v/, '').split('.').map(Number);
  const [minMajor, minMinor] = NODE_MIN.split('.').map(Number);
  return major > minMajor || (major === minMajor && minor >= minMinor);
}

function wantedPnpm() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const m = /^pnpm@(\d+\.\d+\.\d+)/.exec(pkg.packageManager ?? '');
  return m ? m[1] : '10';
}

function output(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The pnpm this process already has: the one running it, or a pnpm 10 on PATH. */
function pnpmAtHand() {
  if (/pnpm/.test(process.env.npm_execpath ?? '')) return true;
  return /^10\./.test(output('pnpm', ['--version']) ?? '');
}

function npmCommand() {
  const execpath = process.env.npm_execpath ?? '';
  return /npm-cli\.js$/.test(execpath) ? [process.execPath, [execpath]] : ['npm', []];
}

/** `npm pack <spec>` and unpack it into `dir` (replaced whole, so a half-done fetch is never used). */
function fetchPackage(spec, dir) {
  const tmp = mkdtempSync(join(cache, 'fetch-'));
  try {
    const [npm, pre] = npmCommand();
    const r = spawnSync(npm, [...pre, 'pack', spec, '--silent'], {
      cwd: tmp,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (r.status !== 0 || !tgz) throw new Error(`npm pack ${spec} failed (is the npm registry reachable?)`);
    const unpacked = join(tmp, 'unpacked');
    mkdirSync(unpacked);
    const t = spawnSync('tar', ['-xzf', join(tmp, tgz), '--strip-components=1', '-C', unpacked], {
      stdio: 'inherit',
    });
    if (t.status !== 0) throw new Error(`cannot unpack ${tgz} (tar failed)`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(unpacked, dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function fail(message) {
  console.error(`[iotgw] ${message}`);
  process.exit(1);
}

/**
 * Makes sure Node >= NODE_MIN and pnpm 10 are at hand, fetching what is missing into .cache/.
 * Returns `null` when the running process already has both, otherwise the environment (PATH,
 * npm_config_nodedir) under which `node` and `pnpm` are the fetched ones.
 */
export function ensureToolchain() {
  const nodeOk = nodeVersionOk(process.version);
  const pnpmOk = pnpmAtHand();
  if (nodeOk && pnpmOk) {
    // Native addons must build against the headers of the Node that loads them (the machine's npmrc
    // may name another Node's headers).
    const home = dirname(dirname(process.execPath));
    if (existsSync(join(home, 'include', 'node'))) process.env.npm_config_nodedir = home;
    return null;
  }
  mkdirSync(cache, { recursive: true });
  const cachedNode = join(nodeHome, 'bin', 'node');
  const cachedPnpm = join(pnpmHome, 'bin', 'pnpm.cjs');
  const needNode =
    !nodeOk && !nodeVersionOk(existsSync(cachedNode) ? (output(cachedNode, ['-v']) ?? '0') : '0');
  const needPnpm = !pnpmOk && !existsSync(cachedPnpm);
  if (needNode || needPnpm) {
    const nodeSpec = `node-${process.platform}-${process.arch}@${NODE_FETCHED_MAJOR}`;
    if (needNode && !['linux', 'darwin'].includes(process.platform)) {
      fail(`iotgw needs Node.js >= ${NODE_MIN}; this is ${process.version}. Install Node 24 and try again.`);
    }
    const why = [
      needNode ? `Node ${process.version} is older than ${NODE_MIN}` : '',
      needPnpm ? 'pnpm 10 is missing' : '',
    ].filter(Boolean);
    const what = [needNode ? nodeSpec : '', needPnpm ? `pnpm@${wantedPnpm()}` : ''].filter(Boolean);
    const started = Date.now();
    progress.write(
      `[iotgw] ${why.join(' and ')}: fetching ${what.join(' and ')} from the npm registry into .cache/ … `,
    );
    try {
      if (needNode) fetchPackage(nodeSpec, nodeHome);
      if (needPnpm) fetchPackage(`pnpm@${wantedPnpm()}`, pnpmHome);
    } catch (e) {
      progress.write('\n');
      fail(e.message);
    }
    const got = [
      needNode ? `node ${output(cachedNode, ['-v']) ?? '?'}` : '',
      needPnpm ? `pnpm ${wantedPnpm()}` : '',
    ];
    progress.write(
      `done (${got.filter(Boolean).join(', ')}; ${Math.round((Date.now() - started) / 1000)} s)\n`,
    );
    if (needNode && !nodeVersionOk(output(cachedNode, ['-v']) ?? '0'))
      fail(`the fetched ${nodeSpec} does not run here`);
  }
  const node = nodeOk ? process.execPath : cachedNode;
  const paths = [];
  if (!pnpmOk) {
    mkdirSync(shimDir, { recursive: true });
    const shim = join(shimDir, 'pnpm');
    writeFileSync(shim, `#!/bin/sh\nexec "${node}" "${cachedPnpm}" "$@"\n`, { mode: 0o755 });
    if (!/^10\./.test(output(shim, ['--version']) ?? ''))
      fail(`the fetched pnpm in .cache/pnpm does not run (${shim})`);
    paths.push(shimDir);
  }
  paths.push(dirname(node));
  const env = { ...process.env, PATH: [...paths, process.env.PATH ?? ''].join(delimiter) };
  const home = dirname(dirname(node));
  if (existsSync(join(home, 'include', 'node'))) env.npm_config_nodedir = home;
  // The calling npm's lifecycle settings are not pnpm's.
  for (const key of Object.keys(env))
    if (/^npm_(execpath|node_execpath|lifecycle_|package_)/.test(key)) delete env[key];
  return { node, env };
}

/**
 * Called first by a repository script: returns when this process can run it; otherwise re-runs the
 * script under the fetched toolchain (what `pnpm <script>` would run) and exits with its exit code.
 */
export async function useToolchain(scriptUrl) {
  const toolchain = ensureToolchain();
  if (!toolchain) return;
  const child = spawn(toolchain.node, [fileURLToPath(scriptUrl), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: toolchain.env,
  });
  // Ctrl-C reaches the child through the process group; SIGTERM is passed on.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  const code = await new Promise((resolve) => {
    child.on('exit', (status, signal) => resolve(status ?? (signal === 'SIGINT' ? 130 : 1)));
    child.on('error', (e) => fail(`cannot run ${toolchain.node}: ${e.message}`));
  });
  process.exit(code);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv[2] !== 'env') fail('usage: node scripts/toolchain.mjs env');
  progress = process.stderr;
  const env = ensureToolchain()?.env ?? process.env;
  const quote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
  console.log(`export PATH=${quote(env.PATH)}`);
  if (env.npm_config_nodedir) console.log(`export npm_config_nodedir=${quote(env.npm_config_nodedir)}`);
}
