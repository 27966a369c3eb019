import { AdvertFilter } from '@iotgw/ble';
import { describe, expect, it } from 'vitest';

describe('AdvertFilter', () => {
  it('passes everything by default', () => {
    expect(new AdvertFilter().check({ address: 'whatever', rssi: -120 })).toEqual({ pass: true });
  });

  it('applies the allow list whatever the MAC notation', () => {
    const filter = new AdvertFilter({ allow: ['f4:3c:21:0a:9b:11', 'C51A2B3C4D5E'] });
    expect(filter.check({ address: 'F4:3C:21:0A:9B:11' }).pass).toBe(true);
    expect(filter.check({ address: 'c5-1a-2b-3c-4d-5e' }).pass).toBe(true);
    expect(filter.check({ address: 'F4:3C:21:0A:9B:12' })).toEqual({ pass: false, reason: 'not_allowed' });
  });

  it('checks the deny list before the allow list', () => {
    const filter = new AdvertFilter({ allow: ['F4:3C:21:0A:9B:11'], deny: ['f4:3c:21:0a:9b:11'] });
    expect(filter.check({ address: 'F4:3C:21:0A:9B:11' })).toEqual({ pass: false, reason: 'denied' });
  });

  it('drops adverts weaker than minRssi; adverts without RSSI pass', () => {
    const filter = new AdvertFilter({ minRssi: -80 });
    expect(filter.check({ address: 'a', rssi: -80 }).pass).toBe(true);
    expect(filter.check({ address: 'a', rssi: -81 })).toEqual({ pass: false, reason: 'weak_signal' });
    expect(filter.check({ address: 'a' }).pass).toBe(true);
  });

  it('rejects entries that are not MAC addresses', () => {
    expect(() => new AdvertFilter({ allow: ['kitchen'] })).toThrow(
      expect.objectContaining({ code: 'BLE_ERR_CONFIG', message: expect.stringContaining('kitchen') }),
    );
  });
});
