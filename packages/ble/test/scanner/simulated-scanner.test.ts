import { AdvertPipeline, decodeAdvertisement } from '@iotgw/ble';
import { type ScannedAdvert, SimulatedScanner } from '@iotgw/ble/scanner';
import { afterEach, describe, expect, it, vi } from 'vitest';

const KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const devices = [
  { format: 'thingy52', address: 'F4:3C:21:0A:9B:11' },
  { format: 'bthome_v2', address: 'A4:C1:38:00:00:01' },
  { format: 'bthome_v2', address: 'A4:C1:38:00:00:02', key: KEY },
  { format: 'ruuvi_v5', address: 'C5:1A:2B:3C:4D:5E' },
] as const;

afterEach(() => {
  vi.useRealTimers();
});

describe('SimulatedScanner', () => {
  it('generates valid adverts for every format, with increasing sequences and counters', () => {
    let now = 0;
    const sim = new SimulatedScanner({ devices, now: () => now });
    const pipeline = new AdvertPipeline({ keys: { 'A4:C1:38:00:00:02': KEY }, now: () => now });
    const sequences = new Map<string, number[]>();
    for (let i = 0; i < 4 * 300; i++) {
      now += 250;
      const outcome = pipeline.process(sim.next());
      expect(outcome.kind, JSON.stringify(outcome)).not.toBe('refused');
      if (outcome.kind === 'reading' && outcome.reading.sequence !== undefined) {
        const list = sequences.get(outcome.reading.address) ?? [];
        list.push(outcome.reading.sequence);
        sequences.set(outcome.reading.address, list);
      }
    }
    const counters = pipeline.counters();
    expect(counters.refused).toBe(0);
    // BTHome and Ruuvi carry sequences: every measurement is a reading. Thingy: one per 10 s window.
    expect(counters.byFormat).toMatchObject({ bthome_v2: 600, ruuvi_v5: 300 });
    expect(counters.byFormat.thingy52).toBe(30);
    expect(sequences.get('C5:1A:2B:3C:4D:5E')!.slice(0, 3)).toEqual([1, 2, 3]);
    expect(sequences.get('A4:C1:38:00:00:02')!.slice(0, 3)).toEqual([1, 2, 3]);
  });

  it('produces evolving values, including CO2 "not ready" at first for the Thingy', () => {
    const sim = new SimulatedScanner({ devices: [devices[0]], seed: 7 });
    const values = Array.from({ length: 20 }, () => decodeAdvertisement(sim.next())).map((r) =>
      r.ok ? r.values : {},
    );
    expect(values[0]).not.toHaveProperty('co2_ppm');
    expect(values[10]).toHaveProperty('co2_ppm');
    expect(new Set(values.map((v) => v.temperature_c)).size).toBeGreaterThan(1);
  });

  it('is deterministic for a seed', () => {
    const a = new SimulatedScanner({ devices, seed: 3, now: () => 0 });
    const b = new SimulatedScanner({ devices, seed: 3, now: () => 0 });
    for (let i = 0; i < 20; i++) expect(a.next()).toEqual(b.next());
  });

  it('emits on a timer, with radio repeats, until stopped', async () => {
    vi.useFakeTimers();
    const sim = new SimulatedScanner({ devices, intervalMs: 1000, repeats: 3 });
    const got: ScannedAdvert[] = [];
    await sim.start((adv) => got.push(adv));
    await vi.advanceTimersByTimeAsync(2000);
    expect(got).toHaveLength(2 * devices.length * 3);
    expect(got[1]).toEqual(got[0]);
    await sim.stop();
    await vi.advanceTimersByTimeAsync(2000);
    expect(got).toHaveLength(2 * devices.length * 3);
  });

  it('validates its options', () => {
    expect(() => new SimulatedScanner({ devices: [] })).toThrow(
      expect.objectContaining({ code: 'BLE_ERR_CONFIG' }),
    );
    expect(() => new SimulatedScanner({ devices: [{ format: 'ruuvi_v5', address: 'x' }] })).toThrow(
      expect.objectContaining({ code: 'BLE_ERR_CONFIG' }),
    );
    expect(
      () =>
        new SimulatedScanner({ devices: [{ format: 'ruuvi_v5', address: 'C5:1A:2B:3C:4D:5E', key: KEY }] }),
    ).toThrow(expect.objectContaining({ code: 'BLE_ERR_CONFIG' }));
    expect(() => new SimulatedScanner({ devices, intervalMs: 0 })).toThrow(
      expect.objectContaining({ code: 'BLE_ERR_CONFIG' }),
    );
  });
});
