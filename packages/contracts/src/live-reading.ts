/**
 * One stored message as iotgw-server's live feed pushes it (`GET /api/live`, Server-Sent Events;
 * docs/server.md, "Live readings"): the server builds it, the web console reads it.
 */
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
