import { bleReading, meterData, thingyReading } from '@iotgw/contracts';
import type { StoredMessage } from '@iotgw/flow-router';

/** One stored message as the live feed pushes it (docs/server.md, "Live readings"). */
export interface LiveReading {
  /** The event id (`<boot>-<sequence>`), also sent as the SSE `id:` for Last-Event-ID resume. */
  readonly id: string;
  readonly flow: string;
  readonly msgId: number;
  readonly topic: string;
  /** From the topic when it is one of the reading contracts (bleReading, meterData, thingyReading). */
  readonly gatewayId: string | null;
  /** BLE address or MAC, or the meter's id (without its manufacturer key). */
  readonly deviceId: string | null;
  /** Which reading contract the topic is: `ble` (bleReading, thingyReading), `meter` (meterData), or null. */
  readonly kind: 'ble' | 'meter' | null;
  readonly receivedAt: string;
  /** Field → value, as stored (numbers, strings, booleans, null, objects/arrays). */
  readonly values: Readonly<Record<string, unknown>>;
}

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
