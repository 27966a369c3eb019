import { hexToBytes } from '../bytes.js';

/** Ruuvi format 5 fields; an absent field is sent as "not available". */
export interface RuuviV5Reading {
  temperature_c?: number;
  humidity_pct?: number;
  pressure_hpa?: number;
  acceleration_x_mg?: number;
  acceleration_y_mg?: number;
  acceleration_z_mg?: number;
  voltage_v?: number;
  tx_power_dbm?: number;
  movement_counter?: number;
  measurement_sequence?: number;
  /** `AA:BB:CC:DD:EE:FF`; absent = all FF. */
  mac?: string;
}

function clampInt(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(value)));
}

/**
 * Builds Ruuvi RAWv2 manufacturer data: `99 04` then the 24-byte payload, MSB first. Values are
 * clipped to the representable range, as Ruuvi firmware does (temperature ±163.835 °C, …).
 */
export function encodeRuuviV5(reading: RuuviV5Reading): Uint8Array {
  const out = new Uint8Array(26);
  const view = new DataView(out.buffer);
  out[0] = 0x99;
  out[1] = 0x04;
  out[2] = 5;
  const p = 2;
  const int16 = (v: number | undefined, scale: number): number =>
    v === undefined ? -0x8000 : clampInt(v * scale, -32767, 32767);
  const uint16 = (v: number | undefined, scale: number, offset = 0): number =>
    v === undefined ? 0xffff : clampInt(v * scale - offset, 0, 65534);
  view.setInt16(p + 1, int16(reading.temperature_c, 200));
  view.setUint16(p + 3, uint16(reading.humidity_pct, 400));
  view.setUint16(p + 5, uint16(reading.pressure_hpa, 100, 50000));
  view.setInt16(p + 7, int16(reading.acceleration_x_mg, 1));
  view.setInt16(p + 9, int16(reading.acceleration_y_mg, 1));
  view.setInt16(p + 11, int16(reading.acceleration_z_mg, 1));
  const battery = reading.voltage_v === undefined ? 2047 : clampInt(reading.voltage_v * 1000 - 1600, 0, 2046);
  const tx = reading.tx_power_dbm === undefined ? 31 : clampInt((reading.tx_power_dbm + 40) / 2, 0, 30);
  view.setUint16(p + 13, (battery << 5) | tx);
  out[p + 15] = reading.movement_counter === undefined ? 0xff : clampInt(reading.movement_counter, 0, 254);
  view.setUint16(
    p + 16,
    reading.measurement_sequence === undefined ? 0xffff : clampInt(reading.measurement_sequence, 0, 65534),
  );
  const mac = reading.mac === undefined ? undefined : hexToBytes(reading.mac.replace(/[:-]/g, ''));
  out.set(mac !== undefined && mac.length === 6 ? mac : new Uint8Array(6).fill(0xff), p + 18);
  return out;
}
