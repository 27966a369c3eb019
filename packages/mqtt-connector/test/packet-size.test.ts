import { publishPacketSize } from '@iotgw/mqtt-connector';
import { generate } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';

describe('publishPacketSize', () => {
  it('matches the bytes mqtt-packet encodes, MQTT 5 and 3.1.1, across the length-field boundaries', () => {
    for (const payloadBytes of [0, 100, 200, 20_000, 3_000_000]) {
      for (const qos of [0, 1] as const) {
        const userProperties = qos ? { 'iotgw-msg-id': 'abc:12', k: 'välue' } : {};
        for (const protocolVersion of [4, 5] as const) {
          const packet = generate(
            {
              cmd: 'publish',
              topic: 'v2/gw/sensors/ä',
              payload: Buffer.alloc(payloadBytes),
              qos,
              dup: false,
              retain: false,
              ...(qos ? { messageId: 1 } : {}),
              ...(protocolVersion === 5 && qos ? { properties: { userProperties } } : {}),
            },
            { protocolVersion },
          );
          expect(
            publishPacketSize(
              { topic: 'v2/gw/sensors/ä', payloadBytes, qos, userProperties },
              protocolVersion,
            ),
          ).toBe(packet.length);
        }
      }
    }
  });
});
