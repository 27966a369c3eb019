import { AdvertPipeline } from '@iotgw/ble';
import { ReplayScanner } from '@iotgw/ble/scanner';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from '../fixture-vectors.js';

/** The demo bind key of the encrypted BTHome device in fixtures/capture.jsonl (see fixtures/README.md). */
const DEMO_KEYS = { 'A4:C1:38:00:00:02': 'a1b2c3d4e5f60718293a4b5c6d7e8f90' };

describe('fixtures/capture.jsonl (the demo capture)', () => {
  it('replays cleanly into readings of every format', async () => {
    const pipeline = new AdvertPipeline({ keys: DEMO_KEYS });
    const addresses = new Set<string>();
    const replay = new ReplayScanner({ file: `${fixturesDir}capture.jsonl`, speed: 0 });
    await replay.start((adv) => {
      const outcome = pipeline.process(adv);
      if (outcome.kind === 'reading') addresses.add(outcome.reading.address);
    });
    const stats = await replay.finished();
    expect(stats).toMatchObject({ skipped: 0, emitted: 192 });
    const counters = pipeline.counters();
    // 12 rounds × 5 devices × 3 radio repeats + 12 adverts from other devices.
    expect(counters.seen).toBe(192);
    expect(counters.byFormat).toEqual({ thingy52: 4, bthome_v2: 24, ruuvi_v5: 12 });
    expect(counters.duplicates).toBe(180 - 40);
    expect(counters.refusedByCode).toEqual({ unknown_format: 9, bad_length: 3 });
    expect([...addresses].sort()).toEqual([
      'A4:C1:38:00:00:01',
      'A4:C1:38:00:00:02',
      'C5:1A:2B:3C:4D:5E',
      'F4:3C:21:0A:9B:11',
      'F4:3C:21:0A:9B:12',
    ]);
  });

  it('without the demo key, the encrypted device is refused, not decoded', async () => {
    const pipeline = new AdvertPipeline();
    const replay = new ReplayScanner({ file: `${fixturesDir}capture.jsonl`, speed: 0 });
    await replay.start((adv) => pipeline.process(adv));
    await replay.finished();
    expect(pipeline.counters().refusedByCode.missing_key).toBe(36);
  });
});
