import { THINGY52_CO2_NOT_READY, THINGY52_KEY } from '../formats/thingy52.js';

export interface Thingy52Reading {
  window_open: boolean;
  humidity_pct: number;
  temperature_c: number;
  /** Absent: "not ready" (0xFFFFFFFF), as the firmware sends during CCS811 warm-up. */
  co2_ppm?: number;
  battery_pct: number;
}

function clampInt(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(value)));
}

/**
 * Builds the manufacturer data the custom Thingy:52 firmware sends (legacy layout): `ff ff` then
 * 14 bytes `01 window | 02 humidity | 03 temperature×10 (int16 BE) | 04 CO2 (uint32 BE) | 05 battery`.
 * Out-of-range values are clipped to what the field holds.
 */
export function encodeThingy52(reading: Thingy52Reading): Uint8Array {
  const out = new Uint8Array(16);
  out[0] = 0xff;
  out[1] = 0xff;
  out[2] = THINGY52_KEY.window;
  out[3] = reading.window_open ? 1 : 0;
  out[4] = THINGY52_KEY.humidity;
  out[5] = clampInt(reading.humidity_pct, 0, 255);
  out[6] = THINGY52_KEY.temperature;
  const t = clampInt(reading.temperature_c * 10, -32768, 32767) & 0xffff;
  out[7] = t >> 8;
  out[8] = t & 0xff;
  out[9] = THINGY52_KEY.co2;
  const co2 =
    reading.co2_ppm === undefined
      ? THINGY52_CO2_NOT_READY
      : clampInt(reading.co2_ppm, 0, THINGY52_CO2_NOT_READY - 1);
  out[10] = Math.floor(co2 / 0x1000000) & 0xff;
  out[11] = (co2 >>> 16) & 0xff;
  out[12] = (co2 >>> 8) & 0xff;
  out[13] = co2 & 0xff;
  out[14] = THINGY52_KEY.battery;
  out[15] = clampInt(reading.battery_pct, 0, 255);
  return out;
}
