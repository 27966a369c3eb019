import { meterData, TopicParamError, thingyReading, topicTemplate } from '@iotgw/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const segment = fc.string({ minLength: 1, maxLength: 24 }).filter((s) => !/[/+#\u0000]/.test(s));

describe('topicTemplate', () => {
  it('builds, matches and derives the filter of a compound segment', () => {
    expect(meterData.filter).toBe('v2/+/+/data');
    const topic = meterData.build({ gatewayId: '706462169', manufacturerKey: 'kam', deviceId: '32666857' });
    expect(topic).toBe('v2/706462169/kam-32666857/data');
    expect(meterData.match(topic)).toEqual({
      gatewayId: '706462169',
      manufacturerKey: 'kam',
      deviceId: '32666857',
    });
  });

  it('does not match topics of another shape', () => {
    expect(meterData.match('v2/gw/kam32666857/data')).toBeNull();
    expect(meterData.match('v2/gw/kam-1/config')).toBeNull();
    expect(meterData.match('v2/gw/kam-1/data/extra')).toBeNull();
    expect(thingyReading.match('gw/AA:BB/update/x')).toBeNull();
    expect(thingyReading.match('gw//update')).toBeNull();
  });

  it('property: match(build(p)) returns p for every valid parameter set', () => {
    const mkey = segment.filter((s) => !s.includes('-'));
    fc.assert(
      fc.property(segment, mkey, segment, (gatewayId, manufacturerKey, deviceId) => {
        const p = { gatewayId, manufacturerKey, deviceId };
        expect(meterData.match(meterData.build(p))).toEqual(p);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(segment, segment, (gatewayId, mac) => {
        expect(thingyReading.match(thingyReading.build({ gatewayId, mac }))).toEqual({ gatewayId, mac });
      }),
      { numRuns: 2000 },
    );
  });

  it('property: every invalid segment is refused with an error naming the parameter', () => {
    const bad = fc
      .tuple(
        fc.string({ maxLength: 8 }),
        fc.constantFrom('/', '+', '#', '\u0000'),
        fc.string({ maxLength: 8 }),
      )
      .map(([a, c, b]) => a + c + b);
    fc.assert(
      fc.property(bad, (mac) => {
        let error: unknown;
        try {
          thingyReading.build({ gatewayId: 'gw', mac });
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(TopicParamError);
        expect((error as TopicParamError).param).toBe('mac');
        expect((error as Error).message).toMatch(/parameter 'mac' may not contain/);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses empty and missing parameters, and a separator inside a compound parameter', () => {
    expect(() => thingyReading.build({ gatewayId: '', mac: 'AA' })).toThrow(/'gatewayId' may not be empty/);
    expect(() => thingyReading.build({ gatewayId: 'gw' } as never)).toThrow(/'mac' is missing/);
    expect(() => meterData.build({ gatewayId: 'gw', manufacturerKey: 'k-a', deviceId: '1' })).toThrow(
      /'manufacturerKey' may not contain '-'/,
    );
  });

  it('refuses malformed templates', () => {
    expect(() => topicTemplate('a/{x}{y}/b')).toThrow(/separated by a literal/);
    expect(() => topicTemplate('a/{x}/{x}')).toThrow(/appears twice/);
    expect(() => topicTemplate('a/+/b')).toThrow(/malformed/);
  });
});
