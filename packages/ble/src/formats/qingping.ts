import type { ReadingValues } from '../advertisement.js';
import { macFromBytes } from '../bytes.js';
import { decodeFailure } from '../decode-failure.js';
import type { FormatDecodeResult } from '../format-definition.js';

const u16 = (d: Uint8Array, i: number): number => d[i]! | (d[i + 1]! << 8);
const s16 = (d: Uint8Array, i: number): number => ((d[i + 1]! << 24) >> 16) | d[i]!;

/**
 * Qingping (service data 0xFDCD): frame byte, device type byte, MAC (6, reversed), then objects
 * `id(1) len(1) data`, little-endian: 0x01 temperature ×0.1 + humidity ×0.1, 0x02 battery %,
 * 0x04 door (0 open), 0x07 pressure ×0.1 hPa, 0x08 motion + illuminance (u24), 0x09 illuminance
 * (u32), 0x0F packet id, 0x11 motion, 0x12 PM2.5 + PM10, 0x13 CO2.
 */
export function decodeQingping(data: Uint8Array): FormatDecodeResult {
  if (data.length < 8)
    return decodeFailure('bad_length', `Qingping service data is ${data.length} bytes, too short`);
  const values: ReadingValues = { mac: macFromBytes(Uint8Array.from(data.subarray(2, 8)).reverse()) };
  let count = 0;
  let i = 8;
  while (i + 2 <= data.length) {
    const id = data[i]!;
    const n = data[i + 1]!;
    const at = i + 2;
    if (at + n > data.length) break;
    if (id === 0x01 && n >= 4) {
      values.temperature_c = s16(data, at) / 10;
      values.humidity_pct = u16(data, at + 2) / 10;
      count += 2;
    } else if (id === 0x02 && n >= 1) {
      values.battery_pct = data[at]! & 0x7f;
      count++;
    } else if (id === 0x04 && n >= 1) {
      values.opening_open = data[at] === 0;
      count++;
    } else if (id === 0x07 && n >= 2) {
      values.pressure_hpa = u16(data, at) / 10;
      count++;
    } else if (id === 0x08 && n >= 4) {
      values.motion_detected = data[at] !== 0;
      values.illuminance_lux = data[at + 1]! | (data[at + 2]! << 8) | (data[at + 3]! << 16);
      count += 2;
    } else if (id === 0x09 && n >= 4) {
      values.illuminance_lux = u16(data, at) + u16(data, at + 2) * 0x10000;
      count++;
    } else if (id === 0x11 && n >= 1) {
      values.motion_detected = data[at] !== 0;
      count++;
    } else if (id === 0x12 && n >= 4) {
      values.pm25_ug_m3 = u16(data, at);
      values.pm10_ug_m3 = u16(data, at + 2);
      count += 2;
    } else if (id === 0x13 && n >= 2) {
      values.co2_ppm = u16(data, at);
      count++;
    }
    i = at + n;
  }
  if (count === 0) return decodeFailure('no_values', 'Qingping advert has no object this decoder knows');
  return { ok: true, values };
}

export const QINGPING_VALUE_NAMES = [
  'mac',
  'temperature_c',
  'humidity_pct',
  'battery_pct',
  'opening_open',
  'pressure_hpa',
  'motion_detected',
  'illuminance_lux',
  'pm25_ug_m3',
  'pm10_ug_m3',
  'co2_ppm',
];
