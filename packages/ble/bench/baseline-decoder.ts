// Today's (2026-12, before issue 17) three-format decoder, kept as the same-run baseline for the
// definition-driven decoder: company-id / service-UUID maps and hand-written Thingy:52 and Ruuvi
// decoders (BTHome's object parser is shared, so it is not part of the difference).
import type { Advertisement } from '@iotgw/ble';

type Values = Record<string, number | boolean | string>;
type Result = { ok: true; format: string; values: Values } | { ok: false; code: string };

const HEX = '0123456789ABCDEF';
const pair = (b: number): string => HEX[b >> 4]! + HEX[b & 15]!;

function thingy(data: Uint8Array): Result {
  if (data.length !== 14) return { ok: false, code: 'bad_length' };
  const values: Values = {};
  let count = 0;
  let i = 0;
  while (i < 14) {
    const key = data[i]!;
    i += 1;
    if (key === 1 && i < 14) {
      values.window_open = data[i] !== 0;
      count++;
      i += 1;
    } else if (key === 2 && i < 14) {
      values.humidity_pct = data[i]!;
      count++;
      i += 1;
    } else if (key === 3 && i + 1 < 14) {
      const raw = (data[i]! << 8) | data[i + 1]!;
      values.temperature_c = ((raw << 16) >> 16) / 10;
      count++;
      i += 2;
    } else if (key === 4 && i + 3 < 14) {
      const co2 = data[i]! * 0x1000000 + ((data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!);
      if (co2 !== 0xffffffff) {
        values.co2_ppm = co2;
        count++;
      }
      i += 4;
    } else if (key === 5 && i < 14) {
      values.battery_pct = data[i]!;
      count++;
      i += 1;
    } else break;
  }
  return count === 0 ? { ok: false, code: 'no_values' } : { ok: true, format: 'thingy52', values };
}

const i16 = (d: Uint8Array, at: number): number => ((d[at]! << 24) >> 16) | d[at + 1]!;
const u16 = (d: Uint8Array, at: number): number => (d[at]! << 8) | d[at + 1]!;

function ruuvi(data: Uint8Array): Result {
  if (data.length < 1 || data[0] !== 5) return { ok: false, code: 'unsupported_version' };
  if (data.length !== 24) return { ok: false, code: 'bad_length' };
  const values: Values = {};
  let count = 0;
  const t = i16(data, 1);
  if (t !== -0x8000) {
    values.temperature_c = (t * 5) / 1000;
    count++;
  }
  const h = u16(data, 3);
  if (h !== 0xffff) {
    values.humidity_pct = (h * 25) / 10000;
    count++;
  }
  const p = u16(data, 5);
  if (p !== 0xffff) {
    values.pressure_hpa = (p + 50000) / 100;
    count++;
  }
  for (const [name, at] of [
    ['acceleration_x_mg', 7],
    ['acceleration_y_mg', 9],
    ['acceleration_z_mg', 11],
  ] as const) {
    const a = i16(data, at);
    if (a !== -0x8000) {
      values[name] = a;
      count++;
    }
  }
  const power = u16(data, 13);
  if (power >> 5 !== 2047) {
    values.voltage_v = ((power >> 5) + 1600) / 1000;
    count++;
  }
  if ((power & 31) !== 31) {
    values.tx_power_dbm = -40 + 2 * (power & 31);
    count++;
  }
  if (data[15] !== 0xff) {
    values.movement_counter = data[15]!;
    count++;
  }
  const seq = u16(data, 16);
  if (seq !== 0xffff) {
    values.measurement_sequence = seq;
    count++;
  }
  let allFf = true;
  for (let i = 18; i < 24; i++) if (data[i] !== 0xff) allFf = false;
  if (!allFf) values.mac = [18, 19, 20, 21, 22, 23].map((i) => pair(data[i]!)).join(':');
  return count === 0 ? { ok: false, code: 'no_values' } : { ok: true, format: 'ruuvi_v5', values };
}

const byCompany = new Map<number, (d: Uint8Array) => Result>([
  [0xffff, thingy],
  [0x0499, ruuvi],
]);

/** The three-format decode loop (manufacturer data by company id; BTHome is not in the plain figure). */
export function baselineDecode(adv: Advertisement): Result {
  const md = adv.manufacturerData;
  if (md !== undefined && md.length >= 2) {
    const decode = byCompany.get(md[0]! | (md[1]! << 8));
    if (decode !== undefined) return decode(md.subarray(2));
  }
  return { ok: false, code: 'unknown_format' };
}
