import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hexToBytes } from '@iotgw/ble';
import {
  CaptureWriter,
  formatCaptureLine,
  parseCaptureLine,
  ReplayScanner,
  type ScannedAdvert,
} from '@iotgw/ble/scanner';
import { createTestLogger } from '@iotgw/logger';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'iotgw-ble-capture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = 1_764_000_000_000;
const sample: ScannedAdvert[] = [
  {
    time: T0,
    address: 'F4:3C:21:0A:9B:11',
    rssi: -67,
    manufacturerData: hexToBytes('ffff0101022d0300fd04000001a4055a')!,
  },
  {
    time: T0 + 400,
    address: 'A4:C1:38:00:00:01',
    rssi: -70,
    localName: 'DIY-sensor',
    serviceData: [{ uuid: 'fcd2', data: hexToBytes('4002c40903bf13')! }],
  },
  { time: T0 + 1000, address: 'C5:1A:2B:3C:4D:5E' },
];

describe('capture line format', () => {
  it('round-trips every field', () => {
    for (const adv of sample) {
      const parsed = parseCaptureLine(formatCaptureLine(adv));
      expect(parsed).toEqual({ ok: true, advert: adv });
    }
    expect(formatCaptureLine(sample[0]!)).toBe(
      '{"time":1764000000000,"address":"F4:3C:21:0A:9B:11","rssi":-67,"manufacturerData":"ffff0101022d0300fd04000001a4055a"}',
    );
  });

  it.each([
    ['not json', 'not JSON'],
    ['[1,2]', 'not a JSON object'],
    ['{"address":"A"}', '"time"'],
    ['{"time":1}', '"address"'],
    ['{"time":1,"address":"A","rssi":"-60"}', '"rssi"'],
    ['{"time":1,"address":"A","manufacturerData":"xyz"}', '"manufacturerData"'],
    ['{"time":1,"address":"A","serviceData":{}}', 'serviceData must be an array'],
    ['{"time":1,"address":"A","serviceData":[{"uuid":"fcd2","data":"4"}]}', 'serviceData[0].data'],
  ])('reports %s', (line, reason) => {
    const parsed = parseCaptureLine(line);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });
});

describe('CaptureWriter → ReplayScanner', () => {
  it('replays what was written, in order, as fast as possible', async () => {
    const file = join(dir, 'round-trip.jsonl');
    const writer = new CaptureWriter({ file });
    await writer.start();
    for (const adv of sample) writer.write(adv);
    await writer.stop();
    expect(writer.written).toBe(3);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(3);

    const got: ScannedAdvert[] = [];
    const replay = new ReplayScanner({ file, speed: 0, now: () => 5_000 });
    await replay.start((adv) => got.push(adv));
    const stats = await replay.finished();
    expect(stats).toMatchObject({ emitted: 3, skipped: 0, passes: 1 });
    // Times are rebased to the replay start, keeping the recorded spacing.
    expect(got.map((a) => a.time)).toEqual([5_000, 5_400, 6_000]);
    expect(got.map(({ time: _t, ...rest }) => rest)).toEqual(sample.map(({ time: _t, ...rest }) => rest));
  });

  it('reports malformed lines with their line number and skips them', async () => {
    const file = join(dir, 'malformed.jsonl');
    writeFileSync(
      file,
      [
        formatCaptureLine(sample[0]!),
        '{"time":',
        '',
        '# comment',
        '{"time":1,"address":"A","rssi":"x"}',
        formatCaptureLine(sample[2]!),
      ].join('\n'),
    );
    const logger = createTestLogger();
    const replay = new ReplayScanner({ file, speed: 0, logger: logger.logger });
    const got: ScannedAdvert[] = [];
    await replay.start((adv) => got.push(adv));
    const stats = await replay.finished();
    expect(got).toHaveLength(2);
    expect(stats.skipped).toBe(2);
    expect(stats.problems.map((p) => p.line)).toEqual([2, 5]);
    expect(
      logger
        .records()
        .filter((l) => l.msg === 'malformed capture line skipped')
        .map((l) => l.line),
    ).toEqual([2, 5]);
  });

  it('replays at recorded pace × speed (accelerated)', async () => {
    const file = join(dir, 'paced.jsonl');
    writeFileSync(file, sample.map(formatCaptureLine).join('\n'));
    const replay = new ReplayScanner({ file, speed: 50 }); // 1 s of capture in ~20 ms
    const got: ScannedAdvert[] = [];
    await replay.start((adv) => got.push(adv));
    expect((await replay.finished()).emitted).toBe(3);
    expect(got[2]!.time - got[0]!.time).toBe(1000);
  });

  it('loops with times that keep increasing until stopped, and survives a throwing callback', async () => {
    const file = join(dir, 'loop.jsonl');
    writeFileSync(file, sample.map(formatCaptureLine).join('\n'));
    const replay = new ReplayScanner({ file, speed: 0, loop: true, loopGapMs: 500, now: () => 0 });
    const times: number[] = [];
    await replay.start((adv) => {
      times.push(adv.time);
      if (times.length === 2) throw new Error('consumer bug');
    });
    while (times.length < 9) await new Promise((r) => setImmediate(r));
    await replay.stop();
    expect(times.slice(0, 9)).toEqual([0, 400, 1000, 1500, 1900, 2500, 3000, 3400, 4000]);
    const stats = replay.stats();
    expect(stats.passes).toBeGreaterThanOrEqual(2);
    expect(stats.callbackErrors).toBe(1);
  });

  it('fails to start with BLE_ERR_CAPTURE and a clear message when the file is missing', async () => {
    const replay = new ReplayScanner({ file: join(dir, 'missing.jsonl') });
    await expect(replay.start(() => {})).rejects.toMatchObject({
      code: 'BLE_ERR_CAPTURE',
      message: expect.stringContaining('missing.jsonl'),
    });
  });

  it('rejects a negative speed and a second start', async () => {
    expect(() => new ReplayScanner({ file: 'x', speed: -1 })).toThrow(
      expect.objectContaining({ code: 'BLE_ERR_CONFIG' }),
    );
    const file = join(dir, 'twice.jsonl');
    writeFileSync(file, formatCaptureLine(sample[0]!));
    const replay = new ReplayScanner({ file, speed: 0 });
    await replay.start(() => {});
    await expect(replay.start(() => {})).rejects.toMatchObject({ code: 'BLE_ERR_STATE' });
    await replay.stop();
  });

  it('CaptureWriter fails with BLE_ERR_CAPTURE when the directory does not exist', async () => {
    const writer = new CaptureWriter({ file: join(dir, 'no', 'such', 'dir.jsonl') });
    await expect(writer.start()).rejects.toMatchObject({ code: 'BLE_ERR_CAPTURE' });
  });
});
