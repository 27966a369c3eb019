import { createKeyRing, createReplayGuard, decodeAdvertisement, encodeBthome } from '@iotgw/ble';
import { describe, expect, it } from 'vitest';

const ADDRESS = '54:48:E6:8F:80:A5';
const keys = createKeyRing({ [ADDRESS]: '231d39c1d7cc1ab1aee224cd096db932' });

function advert(counter: number, temperature = 20) {
  const data = encodeBthome([{ id: 0x02, value: temperature }], {
    key: keys.get(ADDRESS)!,
    address: ADDRESS,
    counter,
  });
  return { address: ADDRESS, serviceData: [{ uuid: 'fcd2', data }] };
}

describe('BTHome replay protection (caller-owned ReplayGuard)', () => {
  it('accepts increasing counters and refuses a counter that did not increase', () => {
    const replay = createReplayGuard();
    expect(decodeAdvertisement(advert(10), { keys, replay })).toMatchObject({ ok: true, sequence: 10 });
    expect(decodeAdvertisement(advert(11), { keys, replay })).toMatchObject({ ok: true, sequence: 11 });
    expect(decodeAdvertisement(advert(10), { keys, replay })).toMatchObject({ ok: false, code: 'replay' });
    expect(decodeAdvertisement(advert(11, 99), { keys, replay })).toMatchObject({
      ok: false,
      code: 'replay',
    });
    expect(replay.lastCounter(ADDRESS)).toBe(11);
  });

  it('decodes a byte-identical re-send (same packet on another channel) so de-duplication can drop it', () => {
    const replay = createReplayGuard();
    const adv = advert(5);
    expect(decodeAdvertisement(adv, { keys, replay })).toMatchObject({ ok: true, sequence: 5 });
    expect(decodeAdvertisement(adv, { keys, replay })).toMatchObject({ ok: true, sequence: 5 });
  });

  it('commits a counter only after the MIC verified: a forged high counter cannot lock the device out', () => {
    const replay = createReplayGuard();
    const forged = advert(1000);
    const data = Uint8Array.from(forged.serviceData[0]!.data);
    data[data.length - 1]! ^= 0xff; // break the MIC
    expect(
      decodeAdvertisement({ address: ADDRESS, serviceData: [{ uuid: 'fcd2', data }] }, { keys, replay }),
    ).toMatchObject({ ok: false, code: 'decrypt_failed' });
    expect(replay.lastCounter(ADDRESS)).toBeUndefined();
    expect(decodeAdvertisement(advert(3), { keys, replay })).toMatchObject({ ok: true });
  });

  it('forget() lets a device whose counter was reset (battery change) in again', () => {
    const replay = createReplayGuard();
    decodeAdvertisement(advert(500), { keys, replay });
    expect(decodeAdvertisement(advert(1), { keys, replay })).toMatchObject({ ok: false, code: 'replay' });
    replay.forget(ADDRESS);
    expect(decodeAdvertisement(advert(1), { keys, replay })).toMatchObject({ ok: true });
  });

  it('is bounded: the least recently seen device is forgotten', () => {
    const replay = createReplayGuard({ maxDevices: 3 });
    for (let i = 0; i < 10; i++) replay.accept(`00:00:00:00:00:0${i}`, 1, new Uint8Array(1));
    expect(replay.size).toBe(3);
    expect(replay.lastCounter('00:00:00:00:00:09')).toBe(1);
    expect(replay.lastCounter('00:00:00:00:00:00')).toBeUndefined();
  });

  it('without a guard, counters are not checked (the pipeline always passes one)', () => {
    expect(decodeAdvertisement(advert(10), { keys })).toMatchObject({ ok: true });
    expect(decodeAdvertisement(advert(9), { keys })).toMatchObject({ ok: true });
  });

  it('rejects a bad maxDevices', () => {
    expect(() => createReplayGuard({ maxDevices: 0 })).toThrow(
      expect.objectContaining({ code: 'BLE_ERR_CONFIG' }),
    );
  });
});
