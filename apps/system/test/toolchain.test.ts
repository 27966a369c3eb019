import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The README's first two commands (`npm start`, `npm test`) and scripts/toolchain.mjs, which fetches Node 24
 * and pnpm into .cache/ when the machine's are missing or too old. The fetch itself needs the registry; these
 * tests check the version rule, the wiring, and that a machine with an old Node re-uses what .cache/ holds.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const toolchainUrl = new URL('../../../scripts/toolchain.mjs', import.meta.url).href;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('toolchain', () => {
  it('asks for Node 22.13 (node:sqlite without a flag) everywhere', async () => {
    const { NODE_MIN, nodeVersionOk } = await import(toolchainUrl);
    expect(NODE_MIN).toBe('22.13');
    expect(pkg.engines.node).toBe('>=22.13');
    expect(nodeVersionOk('v22.12.0')).toBe(false);
    expect(nodeVersionOk('22.13.0')).toBe(true);
    expect(nodeVersionOk('v20.20.2')).toBe(false);
    expect(nodeVersionOk('v24.0.0')).toBe(true);
    expect(nodeVersionOk('v18.19.1')).toBe(false);
  });

  it('npm start and npm test are the README first commands and run through the toolchain', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const commands = [...readme.matchAll(/```sh\n(.+)\n```/g)].map((m) => m[1]);
    expect(commands.slice(0, 2)).toEqual(['npm start', 'npm test']);
    // `exec`: the shell npm/pnpm run a script in would otherwise die of Ctrl-C and turn exit 0 into 130.
    expect(pkg.scripts.start).toBe('exec node scripts/start.mjs');
    expect(pkg.scripts.test).toBe('node scripts/test.mjs');
    for (const script of ['start', 'test', 'bench', 'soak']) {
      expect(readFileSync(join(root, 'scripts', `${script}.mjs`), 'utf8')).toContain(
        'await useToolchain(import.meta.url)',
      );
    }
    const ci = readFileSync(join(root, '.ci/run'), 'utf8');
    expect(ci).toMatch(/^npm test$/m);
    expect(ci).not.toMatch(/npm pack node-/);
  });

  it('the programs are callable from the checkout, and every bin is a committed file', () => {
    for (const dir of ['apps/edge', 'apps/server', 'packages/wmbus']) {
      const p = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
      for (const file of Object.values(p.bin as Record<string, string>)) {
        // A bin under dist/ does not exist at install time: pnpm warns "Failed to create bin".
        expect(file).toMatch(/^\.\/bin\//);
        expect(existsSync(join(root, dir, file))).toBe(true);
      }
    }
    for (const program of ['iotgw-edge', 'iotgw-server']) {
      const r = spawnSync(join(root, 'node_modules', '.bin', program), ['--help'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain(`Usage: ${program}`);
    }
  });

  // An older Node to play the fresh machine: the system one where it is older than 22.13.
  const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => {
    const v = spawnSync(p, ['-v'], { encoding: 'utf8' }).stdout?.trim();
    return v && !/^v(2[3-9]|[3-9]\d)\.|^v22\.(1[3-9]|[2-9]\d)\./.test(v);
  });
  const pnpmCjs = (() => {
    const r = spawnSync('sh', ['-c', 'command -v pnpm'], { encoding: 'utf8' });
    const bin = r.stdout.trim();
    return bin ? realpathSync(bin) : undefined;
  })();
  it.skipIf(!oldNode || !pnpmCjs?.endsWith('pnpm.cjs'))(
    `an older Node re-uses the toolchain in .cache/ and fetches nothing (${oldNode ? `old Node at ${oldNode}` : 'skipped: no Node older than 22.13 on this machine'})`,
    () => {
      const fake = mkdtempSync(join(tmpdir(), 'iotgw-toolchain-'));
      mkdirSync(join(fake, 'scripts'));
      cpSync(join(root, 'scripts', 'toolchain.mjs'), join(fake, 'scripts', 'toolchain.mjs'));
      cpSync(join(root, 'package.json'), join(fake, 'package.json'));
      mkdirSync(join(fake, '.cache'));
      symlinkSync(dirname(dirname(process.execPath)), join(fake, '.cache', 'node'));
      symlinkSync(dirname(dirname(pnpmCjs as string)), join(fake, '.cache', 'pnpm'));
      const r = spawnSync(oldNode as string, [join(fake, 'scripts', 'toolchain.mjs'), 'env'], {
        encoding: 'utf8',
        env: { HOME: process.env.HOME, PATH: '/usr/bin:/bin' },
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`export PATH='${fake}/.cache/bin:${fake}/.cache/node/bin:/usr/bin:/bin'`);
      const shell = spawnSync('bash', ['-c', `${r.stdout}\nnode -v && pnpm -v`], { encoding: 'utf8' });
      expect(shell.stdout).toMatch(/^v(2[3-9]|22\.(1[3-9]|[2-9]\d))[\d.]*\n10\.\d+\.\d+\n$/);
    },
  );
});
