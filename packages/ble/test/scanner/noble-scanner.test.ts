import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBleError } from '@iotgw/ble';
import { hasRawHciCapabilities, listAdapters, NobleScanner, resolveNoble } from '@iotgw/ble/scanner';
import { afterAll, describe, expect, it } from 'vitest';

// These tests never import noble: every path fails before the import (importing noble on a machine
// without Bluetooth makes the process abort at exit). Each scanner also names a module that does
// not exist, so a wrong check order would fail with BLE_ERR_NOBLE_MISSING instead of importing.
const dir = mkdtempSync(join(tmpdir(), 'iotgw-ble-noble-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NO_SUCH_MODULE = '@iotgw/no-such-noble';

function fakeSysfs(name: string, adapters: string[]): string {
  const root = join(dir, name);
  mkdirSync(root, { recursive: true });
  for (const a of adapters) mkdirSync(join(root, a));
  return root;
}

function procStatus(name: string, capEff: string): string {
  const file = join(dir, `${name}.status`);
  writeFileSync(
    file,
    `Name:\tnode\nUid:\t1000\t1000\t1000\t1000\nCapInh:\t0000000000000000\nCapEff:\t${capEff}\n`,
  );
  return file;
}

async function startError(scanner: NobleScanner): Promise<Error & { code?: string }> {
  try {
    await scanner.start(() => {});
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('start() unexpectedly succeeded');
}

function expectOneLineFix(err: Error): void {
  expect(isBleError(err)).toBe(true);
  expect(err.message).not.toContain('\n');
  expect(err.message).not.toMatch(/\s+at\s.+:\d+:\d+/);
}

describe('NobleScanner error paths (before noble is imported)', () => {
  it('this machine: no adapter → BLE_ERR_NO_ADAPTER with what to do', async () => {
    expect(await listAdapters()).toEqual([]);
    const err = await startError(new NobleScanner({ nobleModule: NO_SUCH_MODULE }));
    expect(err.code).toBe('BLE_ERR_NO_ADAPTER');
    expect(err.message).toContain('no Bluetooth adapter found');
    expect(err.message).toContain('rfkill unblock bluetooth');
    expectOneLineFix(err);
  });

  it('selected adapter missing → BLE_ERR_NO_ADAPTER naming the present ones', async () => {
    const sysfsRoot = fakeSysfs('only-hci1', ['hci1', 'hci3']);
    const err = await startError(new NobleScanner({ adapter: 0, sysfsRoot, nobleModule: NO_SUCH_MODULE }));
    expect(err.code).toBe('BLE_ERR_NO_ADAPTER');
    expect(err.message).toContain('hci0 not found; present: hci1, hci3');
    expectOneLineFix(err);
  });

  it('adapter present, capabilities missing → BLE_ERR_PERMISSION with the setcap command', async () => {
    const sysfsRoot = fakeSysfs('hci0', ['hci0']);
    const procStatusPath = procStatus('no-caps', '0000000000000000');
    const err = await startError(
      new NobleScanner({ sysfsRoot, procStatusPath, nobleModule: NO_SUCH_MODULE }),
    );
    expect(err.code).toBe('BLE_ERR_PERMISSION');
    expect(err.message).toContain('sudo setcap cap_net_raw,cap_net_admin+eip');
    expectOneLineFix(err);
  });

  it('adapter and capabilities fine, noble not installed → BLE_ERR_NOBLE_MISSING with the install step', async () => {
    const sysfsRoot = fakeSysfs('hci0-b', ['hci0']);
    const procStatusPath = procStatus('caps', '0000000000002000'); // CAP_NET_RAW (13)
    const err = await startError(
      new NobleScanner({ sysfsRoot, procStatusPath, nobleModule: NO_SUCH_MODULE }),
    );
    expect(err.code).toBe('BLE_ERR_NOBLE_MISSING');
    expect(err.message).toContain('pnpm install');
    expectOneLineFix(err);
  });

  it('reads capabilities from CapEff', async () => {
    expect(await hasRawHciCapabilities(procStatus('admin-only', '0000000000001000'))).toBe(false);
    expect(await hasRawHciCapabilities(procStatus('raw-only', '0000000000002000'))).toBe(true);
    expect(await hasRawHciCapabilities(procStatus('both', '000001ffffffffff'))).toBe(true);
    expect(await hasRawHciCapabilities(join(dir, 'missing.status'))).toBeUndefined();
  });

  it('noble is installed here as an optional dependency (resolved, not loaded)', () => {
    expect(resolveNoble()).toMatch(/@abandonware[/\\]noble[/\\]index\.js$/);
  });

  it('rejects an invalid adapter index', () => {
    expect(() => new NobleScanner({ adapter: -1 })).toThrow(
      expect.objectContaining({ code: 'BLE_ERR_CONFIG' }),
    );
  });

  it('stop() before start() is a no-op', async () => {
    await expect(new NobleScanner().stop()).resolves.toBeUndefined();
  });
});
