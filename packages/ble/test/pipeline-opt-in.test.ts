import { AdvertPipeline, DEFAULT_FORMAT_IDS, FORMAT_IDS, hexToBytes } from '@iotgw/ble';
import { describe, expect, it } from 'vitest';

// An iPhone's Apple Continuity advert (Theengs Decoder tests/BLE/test_ble.cpp, "Apple" iPad vector).
const IPHONE = { address: '6E:12:9A:44:01:7C', manufacturerData: hexToBytes('4c0010050b1c93fbf5')! };

describe('opt-in families (presence)', () => {
  it('are not decoded by default: a phone nearby is not a stream of readings', () => {
    expect(FORMAT_IDS).toContain('presence');
    expect(DEFAULT_FORMAT_IDS).not.toContain('presence');
    expect(new AdvertPipeline().process(IPHONE)).toMatchObject({ kind: 'refused', code: 'unknown_format' });
  });

  it('are decoded when named', () => {
    const pipeline = new AdvertPipeline({ formats: ['presence'] });
    expect(pipeline.process(IPHONE)).toMatchObject({
      kind: 'reading',
      reading: {
        format: 'presence',
        brand: 'Apple',
        modelId: 'APPLEDEVICE',
        values: { present: true, unlocked: true },
      },
    });
  });
});
