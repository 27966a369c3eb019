import { type BleReading, isoTimestamp, type MeterData, type ThingyReading } from '@iotgw/contracts';

/**
 * The one place where decoded readings become contract payloads. Decoders name values in snake_case
 * with the unit as suffix; the Thingy:52 contract keeps the legacy names (`temp`, `humidity`,
 * `battery`) because existing consumers read them.
 */

type Values = Readonly<Record<string, number | boolean | string>>;

/** Legacy Thingy:52 payload: only the keys the legacy gateway published, in its order and types. */
export function thingyPayload(values: Values, receivedAt: number): ThingyReading {
  const out: Record<string, unknown> = { timestamp: isoTimestamp(new Date(receivedAt)) };
  if (typeof values['temperature_c'] === 'number') out['temp'] = values['temperature_c'];
  if (typeof values['humidity_pct'] === 'number') out['humidity'] = values['humidity_pct'];
  if (typeof values['co2_ppm'] === 'number') out['co2_ppm'] = values['co2_ppm'];
  if (typeof values['window_open'] === 'boolean') out['window_open'] = values['window_open'];
  if (typeof values['battery_pct'] === 'number') out['battery'] = values['battery_pct'];
  return out as ThingyReading;
}

/** The identified device of a BLE reading. */
export interface BleIdentity {
  brand: string;
  model: string;
  modelId: string;
}

/** Any other BLE format: flat, one key per value, plus format, device identity (when known) and RSSI. */
export function blePayload(
  format: string,
  values: Values,
  receivedAt: number,
  rssi: number | undefined,
  identity?: BleIdentity,
): BleReading {
  const out: Record<string, unknown> = { timestamp: isoTimestamp(new Date(receivedAt)), format };
  if (identity !== undefined) {
    out['brand'] = identity.brand;
    out['model'] = identity.model;
    out['model_id'] = identity.modelId;
  }
  if (rssi !== undefined) out['rssi_dbm'] = rssi;
  for (const [name, value] of Object.entries(values)) if (!(name in out)) out[name] = value;
  return out as BleReading;
}

export interface MeterReadingLike {
  id: string;
  manufacturer: string;
  driver: string;
  media: string;
  values: Readonly<Record<string, number | string>>;
}

/** One wM-Bus telegram: identity, RSSI, timestamp, then the driver's named values. */
export function meterPayload(
  reading: MeterReadingLike,
  receivedAt: number,
  rssiDbm: number | undefined,
): MeterData {
  const out: Record<string, unknown> = {
    timestamp: isoTimestamp(new Date(receivedAt)),
    id: reading.id,
    manufacturer: reading.manufacturer,
    driver: reading.driver,
    media: reading.media,
  };
  if (rssiDbm !== undefined) out['rssi_dbm'] = rssiDbm;
  for (const [name, value] of Object.entries(reading.values)) if (!(name in out)) out[name] = value;
  return out as MeterData;
}
