import { bleReading, type LiveReading, meterData, thingyReading } from '@iotgw/contracts';
import type { StoredMessage } from '@iotgw/flow-router';

export type { LiveReading };

/** Gateway and device named by a reading topic; nulls for topics of no reading contract. */
export function readingSource(topic: string): Pick<LiveReading, 'gatewayId' | 'deviceId' | 'kind'> {
  const ble = bleReading.match(topic);
  if (ble) return { gatewayId: ble.gatewayId, deviceId: ble.address, kind: 'ble' };
  const meter = meterData.match(topic);
  if (meter) return { gatewayId: meter.gatewayId, deviceId: meter.deviceId, kind: 'meter' };
  const thingy = thingyReading.match(topic);
  if (thingy) return { gatewayId: thingy.gatewayId, deviceId: thingy.mac, kind: 'ble' };
  return { gatewayId: null, deviceId: null, kind: null };
}

function storedValue(v: StoredMessage['values'][number]): unknown {
  switch (v.type) {
    case 'number':
      return v.num;
    case 'string':
      return v.str;
    case 'boolean':
      return v.bool === null ? null : v.bool === 1;
    case 'json':
      return v.json === null ? null : (JSON.parse(v.json) as unknown);
    default:
      return null;
  }
}

/** A stored message → the reading pushed to live viewers. Pure. */
export function liveReading(id: string, message: StoredMessage): LiveReading {
  const values: Record<string, unknown> = {};
  for (const v of message.values) values[v.field] = storedValue(v);
  return {
    id,
    flow: message.flowCode,
    msgId: message.msgId,
    topic: message.topic,
    ...readingSource(message.topic),
    receivedAt: new Date(message.receivedAt).toISOString(),
    values,
  };
}
