import type { ReadingValues } from '../advertisement.js';
import { macFromBytes } from '../bytes.js';
import { decodeFailure } from '../decode-failure.js';
import { defineFormat } from '../format-definition.js';

export const RUUVI_COMPANY_ID = 0x0499;
export const RUUVI_V5_PAYLOAD_SIZE = 24;

const ACCELERATION_AXES = [
  ['acceleration_x_mg', 7],
  ['acceleration_y_mg', 9],
  ['acceleration_z_mg', 11],
] as const;

function int16(data: Uint8Array, at: number): number {
  return ((data[at]! << 24) >> 16) | data[at + 1]!;
}

function uint16(data: Uint8Array, at: number): number {
  return (data[at]! << 8) | data[at + 1]!;
}

/**
 * Ruuvi data format 5 (RAWv2), company 0x0499, 24 bytes MSB first. Every "not available" sentinel
 * (0x8000 signed, 0xFFFF unsigned, 2047 battery, 31 TX power, 0xFF movement, all-FF MAC) makes that
 * value absent, never zero. Values are scaled with one division by a power of ten from an exact
 * integer, so they equal the decimal written in Ruuvi's tables (24.3, not 24.300000000000001).
 */
export const ruuviV5Format = defineFormat({
  id: 'ruuvi_v5',
  title: 'Ruuvi data format 5 / RAWv2 (company 0x0499)',
  match: { companyId: RUUVI_COMPANY_ID },
  valueNames: [
    'temperature_c',
    'humidity_pct',
    'pressure_hpa',
    'acceleration_x_mg',
    'acceleration_y_mg',
    'acceleration_z_mg',
    'voltage_v',
    'tx_power_dbm',
    'movement_counter',
    'measurement_sequence',
    'mac',
  ],
  sequenceValue: 'measurement_sequence',
  decode(data) {
    if (data.length < 1) return decodeFailure('bad_length', 'Ruuvi payload is empty');
    if (data[0] !== 5) {
      return decodeFailure('unsupported_version', `Ruuvi data format ${data[0]} is not supported (only 5)`);
    }
    if (data.length !== RUUVI_V5_PAYLOAD_SIZE) {
      return decodeFailure('bad_length', `Ruuvi format 5 payload is ${data.length} bytes, expected 24`);
    }
    const values: ReadingValues = {};
    let count = 0;
    const temperature = int16(data, 1);
    if (temperature !== -0x8000) {
      values.temperature_c = (temperature * 5) / 1000;
      count++;
    }
    const humidity = uint16(data, 3);
    if (humidity !== 0xffff) {
      values.humidity_pct = (humidity * 25) / 10000;
      count++;
    }
    const pressure = uint16(data, 5);
    if (pressure !== 0xffff) {
      values.pressure_hpa = (pressure + 50000) / 100;
      count++;
    }
    for (const [name, at] of ACCELERATION_AXES) {
      const axis = int16(data, at);
      if (axis !== -0x8000) {
        values[name] = axis;
        count++;
      }
    }
    const power = uint16(data, 13);
    const battery = power >> 5;
    if (battery !== 2047) {
      values.voltage_v = (battery + 1600) / 1000;
      count++;
    }
    const tx = power & 0x1f;
    if (tx !== 31) {
      values.tx_power_dbm = -40 + 2 * tx;
      count++;
    }
    const movement = data[15]!;
    if (movement !== 0xff) {
      values.movement_counter = movement;
      count++;
    }
    const sequence = uint16(data, 16);
    const hasSequence = sequence !== 0xffff;
    if (hasSequence) {
      values.measurement_sequence = sequence;
      count++;
    }
    let allFf = true;
    for (let i = 18; i < 24; i++) if (data[i] !== 0xff) allFf = false;
    if (!allFf) values.mac = macFromBytes(data, 18);
    if (count === 0)
      return decodeFailure('no_values', 'Ruuvi format 5 payload has every value "not available"');
    return hasSequence ? { ok: true, values, sequence } : { ok: true, values };
  },
});
