import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileRegistryStore, MemoryRegistryStore } from '@iotgw/wmbus';
import { afterAll, describe, expect, it } from 'vitest';
import { registryStoreContract } from './support/registry-store-contract.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'iotgw-wmbus-store-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

registryStoreContract('MemoryRegistryStore', async () => {
  const store = new MemoryRegistryStore();
  return { store, reopen: () => store };
});

registryStoreContract('FileRegistryStore', async () => {
  const path = join(await tempDir(), 'meters.json');
  return { store: new FileRegistryStore(path), reopen: () => new FileRegistryStore(path) };
});

describe('FileRegistryStore specifics', () => {
  it('writes mode 0600 and leaves no temporary file behind', async () => {
    const dir = await tempDir();
    const store = new FileRegistryStore(join(dir, 'meters.json'));
    await store.save([
      {
        index: 0,
        deviceId: '32666857',
        manufacturerKey: 'kam',
        encryptionKey: '9A25139E3244CC2E391A8EF6B915B697',
      },
    ]);
    expect((await stat(join(dir, 'meters.json'))).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['meters.json']);
  });

  it('refuses a corrupt file without quoting it (it holds keys)', async () => {
    const dir = await tempDir();
    const path = join(dir, 'meters.json');
    await writeFile(
      path,
      '{"format":"iotgw-meter-registry","meters":[{"encryptionKey":"9A25139E3244CC2E391A8EF6B915B697"',
    );
    const err = await new FileRegistryStore(path).load().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'WMBUS_ERR_STORE' });
    expect(String((err as Error).message)).not.toContain('9A25');
    expect(JSON.stringify(err)).not.toContain('9A25');
    await writeFile(path, '{"format":"other","meters":[]}');
    await expect(new FileRegistryStore(path).load()).rejects.toMatchObject({ code: 'WMBUS_ERR_STORE' });
    expect(await readFile(path, 'utf8')).toContain('other');
  });

  it('reports a directory that cannot be written', async () => {
    const store = new FileRegistryStore('/proc/iotgw-no-such-dir/meters.json');
    await expect(store.save([])).rejects.toMatchObject({ code: 'WMBUS_ERR_STORE' });
  });
});
