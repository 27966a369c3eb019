import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@iotgw/testkit';
import { describe, expect, it } from 'vitest';
import { edgeMain } from './support/edge-harness.js';

const drivers = join(repoRoot, 'packages/wmbus/fixtures/drivers');

function run(args: string[]) {
  const r = spawnSync(process.execPath, [edgeMain, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
}

// wmbusmeters drivers/src/kamwater.xmq test telegrams (Multical 21 "Vadden", stored pre-decrypted there):
// a full frame, then a compact frame whose format the full frame defines.
const VADDEN_FULL =
  '2D442D2C776655441B168D2083B48D3A20_46887802FF20000004132F4E000092013B3D01A1015B028101E7FF0F03';
const VADDEN_COMPACT = '21442D2C776655441B168D2079CC8C3A20_F4307912C40DFF00002F4E00003D010203';

describe('iotgw-edge wM-Bus commands (built program)', () => {
  it("decodes several telegrams of one meter in order, in wmbusmeters' JSON shape", () => {
    const r = run(['decode', 'wmbus', '--pre-decrypted', '--format', 'json', VADDEN_FULL, VADDEN_COMPACT]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    for (const l of lines)
      expect(l).toMatchObject({
        _: 'telegram',
        media: 'cold water',
        meter: 'kamwater',
        id: '44556677',
        total_m3: 20.015,
        max_flow_m3h: 0.317,
        status: 'OK',
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
  });

  it('runs the tests embedded in driver files and ends with the counts', () => {
    const good = run(['drivers', 'test', join(drivers, 'good')]);
    expect(good.stdout.split('\n').at(-1)).toBe('3 passed, 0 failed');
    expect(good.code).toBe(0);
    const bad = run(['drivers', 'test', join(drivers, 'bad')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(
      /bad-range\.yaml:8: \/fields\/0\/match\/vifRange: unknown VIF range 'Volumes'/,
    );
    expect(bad.stdout.split('\n').at(-1)).toBe('0 passed, 0 failed, 3 driver file problems');
  });

  it('lists the drivers, and a user driver replaces the built-in of the same name with one line', () => {
    const builtIn = run(['drivers', 'list']);
    expect(builtIn.stdout).toMatch(/^kamwater\s+water\s+KAM,1b,06 .*\(aliases: multical21, flowiq2200\)$/m);
    expect(builtIn.stdout).toMatch(/^omnipower\s+electricity\s+KAM,30,02$/m);
    const user = run(['drivers', 'list', '--drivers', join(drivers, 'bad')]);
    expect(user.stderr.split('\n').filter((l) => l.includes('replaces'))).toEqual([
      'iotgw-edge: user driver omnipower replaces the built-in driver',
    ]);
    expect(user.stdout).toMatch(/^omnipower\s+other\s+KAM,30,02$/m);
  });
});
