import { createKeyRing, createReplayGuard, decodeAdvertisement, hexToBytes } from '@iotgw/ble';
import { describe, expect, it } from 'vitest';

/**
 * Vectors from keshavdv/victron-ble tests/test_solar_charger.py and tests/test_battery_monitor.py
 * (commit 08a64d53): the adverts start at the 0x10 record prefix; the company id 0x02E1 comes first
 * in manufacturer data as noble gives it.
 */
const SOLAR = { key: 'adeccb947395801a4dd45a2eaa44bf17', hex: '100242a0016207adceb37b605d7e0ee21b24df5c' };
const SHUNT = {
  key: 'aff4d0995b7d1e176c0c33ecb9e70dcd',
  hex: '100289a302b040af925d09a4d89aa0128bdef48c6298a9',
};
const ADDRESS = 'C0:3B:98:00:00:01';

const advert = (hex: string) => ({ address: ADDRESS, manufacturerData: hexToBytes(`e102${hex}`)! });

describe('Victron Instant Readout (AES-128-CTR)', () => {
  it('decodes a solar charger record', () => {
    const r = decodeAdvertisement(advert(SOLAR.hex), { keys: createKeyRing({ [ADDRESS]: SOLAR.key }) });
    expect(r).toMatchObject({
      ok: true,
      format: 'victron',
      brand: 'Victron Energy',
      modelId: 'VICTRON_SOLAR_CHARGER',
      values: {
        charge_state: 'absorption',
        voltage_v: 13.88,
        current_a: 1.4,
        yield_today_kwh: 0.03,
        solar_power_w: 19,
        load_current_a: 0,
      },
    });
  });

  it('decodes a battery monitor record', () => {
    const r = decodeAdvertisement(advert(SHUNT.hex), { keys: createKeyRing({ [ADDRESS]: SHUNT.key }) });
    expect(r).toMatchObject({
      ok: true,
      modelId: 'VICTRON_BATTERY_MONITOR',
      values: { voltage_v: 12.53, current_a: 0, consumed_ah: 50, battery_pct: 50, alarm: 0 },
    });
    if (r.ok) expect(r.values).not.toHaveProperty('time_remaining_min');
  });

  it('refuses a missing key and a wrong key (key check byte), as the library does', () => {
    expect(decodeAdvertisement(advert(SOLAR.hex))).toMatchObject({ ok: false, code: 'missing_key' });
    // victron-ble test_key_mismatch: this advert with an all-FF key.
    const mismatch = '100289a302bb01af129087600b9b97bc2c32867c8238da';
    const wrong = createKeyRing({ [ADDRESS]: 'ffffffffffffffffffffffffffffffff' });
    expect(decodeAdvertisement(advert(mismatch), { keys: wrong })).toMatchObject({
      ok: false,
      code: 'decrypt_failed',
    });
  });

  it('refuses an IV that did not move forward (replay), accepts repeats and forward steps across the wrap', () => {
    const keys = createKeyRing({ [ADDRESS]: SOLAR.key });
    const replay = createReplayGuard();
    const withIv = (iv: number) => {
      const bytes = hexToBytes(`e102${SOLAR.hex}`)!;
      bytes[7] = iv & 0xff;
      bytes[8] = iv >> 8;
      return { address: ADDRESS, manufacturerData: bytes };
    };
    expect(decodeAdvertisement(withIv(0xfffe), { keys, replay }).ok).toBe(true);
    expect(decodeAdvertisement(withIv(0xfffe), { keys, replay }).ok).toBe(true);
    expect(decodeAdvertisement(withIv(0xfffd), { keys, replay })).toMatchObject({
      ok: false,
      code: 'replay',
    });
    expect(decodeAdvertisement(withIv(0x0002), { keys, replay }).ok).toBe(true);
    expect(decodeAdvertisement(withIv(0xfffe), { keys, replay })).toMatchObject({
      ok: false,
      code: 'replay',
    });
  });
});
