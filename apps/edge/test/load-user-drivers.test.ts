import { join } from 'node:path';
import { createTestLogger } from '@iotgw/logger';
import { repoRoot } from '@iotgw/testkit';
import { describe, expect, it } from 'vitest';
import { loadUserDrivers } from '../src/sources/load-user-drivers.js';

const drivers = join(repoRoot, 'packages/wmbus/fixtures/drivers');

describe('wmbus.driversDir at start', () => {
  it('uses the good files, logs each bad one with file:line: path, and one line per replaced built-in', () => {
    const t = createTestLogger();
    const registry = loadUserDrivers(join(drivers, 'bad'), t.logger);
    const records = t.records();
    const errors = records.filter((r) => r['level'] === 'error').map((r) => String(r['msg']));
    expect(errors).toEqual([
      expect.stringMatching(/bad-range\.yaml:8: \/fields\/0\/match\/vifRange: unknown VIF range 'Volumes'$/),
      expect.stringMatching(/bad-syntax\.xmq:\d+: \/: xmq syntax: missing }$/),
      expect.stringMatching(/bad-type\.json:6: \/fields\/1\/quantity: must be one of /),
    ]);
    expect(records.filter((r) => String(r['msg']).includes('replaces'))).toHaveLength(1);
    expect(registry?.byName('omnipower')?.media).toBe('other');
    expect(registry?.byName('kamwater')?.name).toBe('kamwater');
    expect(loadUserDrivers(undefined, t.logger)).toBeUndefined();
  });
});
