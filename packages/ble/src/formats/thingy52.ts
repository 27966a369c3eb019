import type { ReadingValues } from '../advertisement.js';
import { decodeFailure } from '../decode-failure.js';
import type { FormatDecodeResult } from '../format-definition.js';

/** Company id the custom Thingy:52 firmware uses (0xFFFF, reserved for testing, so shared with others). */
export const THINGY52_COMPANY_ID = 0xffff;
/** Payload bytes after the company id: 5 keys + 1 + 1 + 2 + 4 + 1 value bytes. */
export const THINGY52_PAYLOAD_SIZE = 14;
/** CO2 sentinel: sensor not ready or failed; the value is then absent. */
export const THINGY52_CO2_NOT_READY = 0xffffffff;

export const THINGY52_KEY = {
  window: 0x01,
  humidity: 0x02,
  temperature: 0x03,
  co2: 0x04,
  battery: 0x05,
} as const;

/**
 * Nordic Thingy:52 running the legacy custom firmware: key/value pairs, byte for byte the legacy
 * gateway's rules (exactly 14 bytes after the company id; an unknown key, or a key whose value does
 * not fit, ends decoding; a later key overwrites an earlier one). One deliberate fix: temperature
 * is read as signed 16-bit, so −0.5 °C is −0.5 and not 6553.1.
 */
export const THINGY52_VALUE_NAMES = [
  'window_open',
  'humidity_pct',
  'temperature_c',
  'co2_ppm',
  'battery_pct',
];

/** Decodes the bytes after the company id. */
export function decodeThingy52Payload(data: Uint8Array): FormatDecodeResult {
  {
    const len = data.length;
    if (len !== THINGY52_PAYLOAD_SIZE) {
      return decodeFailure(
        'bad_length',
        `Thingy:52 payload is ${len} bytes after the company id, expected 14`,
      );
    }
    const values: ReadingValues = {};
    let count = 0;
    let i = 0;
    while (i < len) {
      const key = data[i]!;
      i += 1;
      if (key === THINGY52_KEY.window && i < len) {
        values.window_open = data[i] !== 0;
        count++;
        i += 1;
      } else if (key === THINGY52_KEY.humidity && i < len) {
        values.humidity_pct = data[i]!;
        count++;
        i += 1;
      } else if (key === THINGY52_KEY.temperature && i + 1 < len) {
        const raw = (data[i]! << 8) | data[i + 1]!;
        values.temperature_c = ((raw << 16) >> 16) / 10;
        count++;
        i += 2;
      } else if (key === THINGY52_KEY.co2 && i + 3 < len) {
        const co2 = data[i]! * 0x1000000 + ((data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!);
        if (co2 !== THINGY52_CO2_NOT_READY) {
          values.co2_ppm = co2;
          count++;
        }
        i += 4;
      } else if (key === THINGY52_KEY.battery && i < len) {
        values.battery_pct = data[i]!;
        count++;
        i += 1;
      } else {
        break;
      }
    }
    if (count === 0) {
      return decodeFailure('no_values', 'Thingy:52 payload yielded no value');
    }
    return { ok: true, values };
  }
}
