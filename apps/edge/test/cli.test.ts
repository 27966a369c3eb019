import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@iotgw/testkit';
import { describe, expect, it } from 'vitest';
import { edgeMain, tempDir } from './support/edge-harness.js';

const OMNIPOWER = '27442d2c5768663230028d202e21870320d3a4f149b1b8f5783df7434b8a66a55786499abe7bab59';
const KEY = '9A25139E3244CC2E391A8EF6B915B697';
const RUUVI = '99040512FC5394C37C0004FFFC040CAC364200CDCBB8334C884F';

function run(args: string[], main = edgeMain, cwd?: string) {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', cwd, timeout: 20_000 });
  return { code: r.status, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
}

describe('iotgw-edge command line (built program)', () => {
  it('decodes an OmniPower telegram with the driver value names', () => {
    const r = run(['decode', 'wmbus', '--key', KEY, OMNIPOWER]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      id: '32666857',
      driver: 'omnipower',
      total_energy_consumption_kwh: 2.06,
      current_power_consumption_kw: 0.003,
    });
  });

  it('says in one line why a telegram cannot be decoded, with exit 1', () => {
    const r = run(['decode', 'wmbus', '--key', '00000000000000000000000000000000', OMNIPOWER]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'iotgw-edge: cannot decode the telegram: WMBUS_ERR_WRONG_KEY: decrypted payload CRC failed check: the key is wrong',
    );
    expect(run(['decode', 'wmbus', '2744']).stderr).toMatch(
      /^iotgw-edge: cannot decode the telegram: WMBUS_ERR_/,
    );
  });

  it('decodes a BLE advert and refuses a malformed one', () => {
    const ok = run(['decode', 'ble', '--address', 'C8:25:4E:1D:77:02', '--manufacturer', RUUVI]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      format: 'ruuvi_v5',
      temperature_c: 24.3,
      humidity_pct: 53.49,
    });
    const bad = run(['decode', 'ble', '--address', 'C8:25:4E:1D:77:02', '--manufacturer', '990405']);
    expect(bad.code).toBe(1);
    expect(bad.stderr.split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^iotgw-edge: cannot decode the advert: bad_length/);
  });

  it('analyzes a telegram field by field', () => {
    const r = run(['analyze', 'wmbus', '--key', KEY, OMNIPOWER]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dll-id (32666857)');
    expect(r.stdout).toContain('"total_energy_consumption_kwh":2.06');
  });

  it('config check lists every problem with its path, exit 1; a good file says ok', () => {
    const dir = tempDir('check');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'gatewayId: gw\nmqtt:\n  password: hunter2\nble:\n  dedupWindowS: fast\n');
    const r = run(['config', 'check', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${bad}:3:13: $.mqtt.password is a secret`);
    expect(r.stdout).toContain('$.ble.dedupWindowS must be number');
    expect(r.stdout).not.toContain('hunter2');
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'version: 1\ngatewayId: gw\n');
    expect(run(['config', 'check', good])).toMatchObject({ code: 0, stdout: `${good}: ok` });
  });

  it('config check: one line per problem naming the allowed values, version, secrets, files, strict JSON', () => {
    const dir = tempDir('check-strict');
    const typo = join(dir, 'typo.yaml');
    writeFileSync(typo, 'gatewayId: gw\nble:\n  enabled: true\n  source: { kind: nobel }\n');
    const r = run(['config', 'check', typo]);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n')).toEqual([
      `${typo}: $.version is required: the layout version of this file (write version: 1 at the top)`,
      `${typo}:4:19: $.ble.source.kind must be one of noble, replay, simulate (got "nobel")`,
      '2 problems',
    ]);
    const deploy = join(dir, 'deploy.yaml');
    writeFileSync(
      deploy,
      'version: 1\ngatewayId: gw\nmqtt:\n  password: env:IOTGW_TEST_UNSET_PASSWORD\n  tls:\n    ca: /nonexistent/ca.pem\n',
    );
    const d = run(['config', 'check', deploy]);
    expect(d.code).toBe(1);
    expect(d.stdout).toContain(
      '$.mqtt.password cannot be resolved: environment variable IOTGW_TEST_UNSET_PASSWORD (from env:IOTGW_TEST_UNSET_PASSWORD) is not set',
    );
    expect(d.stdout).toContain('$.mqtt.tls.ca names a file that does not exist: /nonexistent/ca.pem');
    const json = join(dir, 'edge.json');
    writeFileSync(json, '{"version": 1, "gatewayId": "gw",}\n');
    const j = run(['config', 'check', json]);
    expect(j.code).toBe(1);
    expect(j.stdout).toContain(`${json}: $ is not valid JSON:`);
    for (const line of [...r.stdout.split('\n'), ...d.stdout.split('\n'), ...j.stdout.split('\n')])
      expect(line).not.toMatch(/;\s*$/);
  });

  it('run exits non-zero with one clear line on a bad config; usage errors exit 2', () => {
    const dir = tempDir('badrun');
    const file = join(dir, 'edge.yaml');
    writeFileSync(file, 'gatewayId: gw\nwmbus:\n  linkMode: s9\n');
    const r = run(['run', '--config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('$.wmbus.linkMode must be one of c1, t1, c1t1 (got "s9")');
    expect(r.stderr.split('\n').at(-1)).toMatch(
      /^iotgw-edge: invalid configuration \(1 problem\); check it with: iotgw-edge config check/,
    );
    expect(run(['frobnicate'])).toMatchObject({ code: 2 });
  });

  it('the x64 artifact runs from an empty folder with plain node', () => {
    const out = tempDir('artifact');
    const build = spawnSync(
      process.execPath,
      [join(repoRoot, 'apps/edge/scripts/build-artifact.mjs'), '--arch', 'x64', '--out', out],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(build.status, build.stderr).toBe(0);
    const tarball = readdirSync(out).find((f) => f.endsWith('linux-x64.tar.gz'));
    expect(tarball).toBeDefined();
    const empty = join(tempDir('unpacked'), 'opt');
    mkdirSync(empty);
    expect(spawnSync('tar', ['-xzf', join(out, tarball as string), '-C', empty]).status).toBe(0);
    const [folder] = readdirSync(empty);
    const main = join(empty, folder as string, 'iotgw-edge.mjs');
    expect(run(['--version'], main, empty).stdout).toMatch(/^iotgw-edge \d+\.\d+\.\d+$/);
    const decoded = run(['decode', 'wmbus', '--key', KEY, OMNIPOWER], main, empty);
    expect(decoded.code).toBe(0);
    expect(JSON.parse(decoded.stdout)).toMatchObject({ id: '32666857', total_energy_consumption_kwh: 2.06 });
    expect(readdirSync(join(empty, folder as string)).sort()).toEqual(
      [
        'BUILD-INFO.json',
        'INSTALL.md',
        'edge.example.yaml',
        'iotgw-edge.mjs',
        'iotgw-edge.service',
        'node_modules',
      ].sort(),
    );
  });
});
