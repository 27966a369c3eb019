import { Deduplicator } from '@iotgw/ble';
import { describe, expect, it } from 'vitest';

function fakeClock(start = 1_764_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const thingy = { format: 'thingy52', address: 'F4:3C:21:0A:9B:11' };

describe('Deduplicator', () => {
  it('drops repeats within the window (default 10 s, like the legacy gateway) and accepts after it', () => {
    const clock = fakeClock();
    const dedup = new Deduplicator({ now: clock.now });
    expect(dedup.check(thingy)).toBe('new');
    clock.advance(30);
    expect(dedup.check(thingy)).toBe('duplicate');
    clock.advance(9_969);
    expect(dedup.check(thingy)).toBe('duplicate');
    clock.advance(1);
    expect(dedup.check(thingy)).toBe('new');
  });

  it('anchors the window on the accepted reading, not on the last repeat', () => {
    const clock = fakeClock();
    const dedup = new Deduplicator({ now: clock.now, windowMs: 1000 });
    expect(dedup.check(thingy)).toBe('new');
    for (let i = 0; i < 9; i++) {
      clock.advance(100);
      dedup.check(thingy);
    }
    clock.advance(100);
    expect(dedup.check(thingy)).toBe('new');
  });

  it('keeps devices and formats apart', () => {
    const dedup = new Deduplicator({ now: () => 0 });
    expect(dedup.check(thingy)).toBe('new');
    expect(dedup.check({ ...thingy, address: 'F4:3C:21:0A:9B:12' })).toBe('new');
    expect(dedup.check({ ...thingy, format: 'bthome_v2' })).toBe('new');
  });

  it('applies per-format windows', () => {
    const clock = fakeClock();
    const dedup = new Deduplicator({ now: clock.now, windowByFormat: { thingy52: 2000 } });
    const other = { format: 'ruuvi_v5', address: thingy.address };
    dedup.check(thingy);
    dedup.check(other);
    clock.advance(2000);
    expect(dedup.check(thingy)).toBe('new');
    expect(dedup.check(other)).toBe('duplicate');
    expect(dedup.windowFor('ruuvi_v5')).toBe(10_000);
  });

  it('with a sequence: a new id is new even inside the window', () => {
    const clock = fakeClock();
    const dedup = new Deduplicator({ now: clock.now });
    const ruuvi = { format: 'ruuvi_v5', address: 'C5:1A:2B:3C:4D:5E' };
    expect(dedup.check({ ...ruuvi, sequence: 1 })).toBe('new');
    clock.advance(10);
    expect(dedup.check({ ...ruuvi, sequence: 1 })).toBe('duplicate');
    clock.advance(10);
    expect(dedup.check({ ...ruuvi, sequence: 2 })).toBe('new');
  });

  it('with a sequence: a repeated id is a duplicate even after the window', () => {
    const clock = fakeClock();
    const dedup = new Deduplicator({ now: clock.now });
    const bthome = { format: 'bthome_v2', address: 'A4:C1:38:00:00:01', sequence: 7 };
    expect(dedup.check(bthome)).toBe('new');
    clock.advance(60 * 60 * 1000);
    expect(dedup.check(bthome)).toBe('duplicate');
    expect(dedup.check({ ...bthome, sequence: 8 })).toBe('new');
    expect(dedup.check({ ...bthome, sequence: 7 })).toBe('new'); // differs from the last one (uint8 wrap)
  });

  it('falls back to the window when only one side has a sequence', () => {
    const clock = fakeClock();
    const dedup = new Deduplicator({ now: clock.now });
    const d = { format: 'bthome_v2', address: 'A4:C1:38:00:00:01' };
    expect(dedup.check(d)).toBe('new');
    expect(dedup.check({ ...d, sequence: 1 })).toBe('duplicate');
    clock.advance(10_000);
    expect(dedup.check({ ...d, sequence: 1 })).toBe('new');
  });

  it('treats a clock that went backwards as a new reading rather than suppressing for hours', () => {
    const clock = fakeClock();
    const dedup = new Deduplicator({ now: clock.now });
    dedup.check(thingy);
    clock.advance(-60_000);
    expect(dedup.check(thingy)).toBe('new');
  });

  it('bounds memory: 250,000 distinct addresses keep at most maxDevices entries (LRU)', () => {
    const clock = fakeClock();
    const dedup = new Deduplicator({ now: clock.now, maxDevices: 10_000 });
    const hex = (n: number) =>
      n
        .toString(16)
        .padStart(12, '0')
        .replace(/(..)(?!$)/g, '$1:')
        .toUpperCase();
    let fresh = 0;
    for (let i = 0; i < 250_000; i++) {
      clock.advance(1);
      if (dedup.check({ format: 'ruuvi_v5', address: hex(i), sequence: 1 }) === 'new') fresh++;
      if (i % 1000 === 0) dedup.check({ format: 'ruuvi_v5', address: hex(0), sequence: 1 }); // keep device 0 recent
      if (dedup.size > 10_000) throw new Error(`size ${dedup.size} exceeded maxDevices at ${i}`);
    }
    expect(fresh).toBe(250_000);
    expect(dedup.size).toBe(10_000);
    // The most recent devices are remembered, the oldest forgotten, a recently touched old one kept.
    expect(dedup.check({ format: 'ruuvi_v5', address: hex(249_999), sequence: 1 })).toBe('duplicate');
    expect(dedup.check({ format: 'ruuvi_v5', address: hex(0), sequence: 1 })).toBe('duplicate');
    expect(dedup.check({ format: 'ruuvi_v5', address: hex(5), sequence: 1 })).toBe('new');
  });

  it('rejects bad options with BLE_ERR_CONFIG', () => {
    expect(() => new Deduplicator({ windowMs: -1 })).toThrow(
      expect.objectContaining({ code: 'BLE_ERR_CONFIG' }),
    );
    expect(() => new Deduplicator({ maxDevices: 0 })).toThrow(
      expect.objectContaining({ code: 'BLE_ERR_CONFIG' }),
    );
    expect(() => new Deduplicator({ windowByFormat: { thingy52: Number.NaN } })).toThrow(
      expect.objectContaining({ code: 'BLE_ERR_CONFIG' }),
    );
  });
});
