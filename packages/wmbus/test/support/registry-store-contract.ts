import type { RegistryStore, StoredMeter } from '@iotgw/wmbus';
import { describe, expect, it } from 'vitest';

const METERS: StoredMeter[] = [
  {
    index: 0,
    deviceId: '32666857',
    manufacturerKey: 'kam',
    manufacturerDeviceKey: 'OmniPower1',
    encryptionKey: '9A25139E3244CC2E391A8EF6B915B697',
  },
  { index: 1, deviceId: '1234567', invalidReason: 'deviceId must be 8 digits' },
];

/** The behaviour every RegistryStore must have; run against each implementation. */
export function registryStoreContract(
  name: string,
  make: () => Promise<{ store: RegistryStore; reopen: () => RegistryStore }>,
): void {
  describe(`RegistryStore contract: ${name}`, () => {
    it('loads null before anything was saved', async () => {
      const { store } = await make();
      expect(await store.load()).toBeNull();
    });

    it('round-trips a saved list, including an empty one', async () => {
      const { store, reopen } = await make();
      await store.save(METERS);
      expect(await store.load()).toEqual(METERS);
      expect(await reopen().load()).toEqual(METERS);
      await store.save([]);
      expect(await reopen().load()).toEqual([]);
    });

    it('the last of several concurrent saves wins', async () => {
      const { store, reopen } = await make();
      await Promise.all([store.save(METERS), store.save(METERS.slice(1)), store.save(METERS.slice(0, 1))]);
      expect(await reopen().load()).toEqual(METERS.slice(0, 1));
    });

    it('returns copies: changing what was loaded or saved does not change the store', async () => {
      const { store } = await make();
      const list = structuredClone(METERS);
      await store.save(list);
      list.pop();
      const loaded = await store.load();
      expect(loaded).toEqual(METERS);
      loaded?.pop();
      expect(await store.load()).toEqual(METERS);
    });
  });
}
