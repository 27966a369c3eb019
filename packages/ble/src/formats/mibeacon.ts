import type { ReadingValues } from '../advertisement.js';
import { macFromBytes } from '../bytes.js';
import { decodeFailure } from '../decode-failure.js';
import type { FormatDecodeContext, FormatDecodeResult } from '../format-definition.js';
import { decryptMibeacon } from './mibeacon-crypto.js';

/** Frame-control bits of a MiBeacon (service data UUID 0xFE95), little-endian 16-bit. */
export const MIBEACON_FRAME = {
  encrypted: 0x0008,
  macIncluded: 0x0010,
  capabilityIncluded: 0x0020,
  objectIncluded: 0x0040,
  ioCapability: 0x0100,
} as const;

type ObjectReader = (d: Uint8Array, at: number, len: number, values: ReadingValues) => boolean;

const s16 = (d: Uint8Array, i: number): number => ((d[i + 1]! << 24) >> 16) | d[i]!;
const u16 = (d: Uint8Array, i: number): number => d[i]! | (d[i + 1]! << 8);
const f32 = (d: Uint8Array, i: number): number =>
  new DataView(d.buffer, d.byteOffset + i, 4).getFloat32(0, true);

/** A reader that sets one value from `read(d, at)` when the object has at least `size` bytes. */
function one(name: string, size: number, read: (d: Uint8Array, i: number) => number | boolean): ObjectReader {
  return (d, i, n, v) => {
    if (n < size) return false;
    v[name] = read(d, i);
    return true;
  };
}

/** MiBeacon object id → reader (object length checked by each reader). Values per Xiaomi's object table. */
export const MIBEACON_OBJECTS: ReadonlyMap<number, ObjectReader> = new Map<number, ObjectReader>([
  [0x1004, one('temperature_c', 2, (d, i) => s16(d, i) / 10)],
  [0x1006, one('humidity_pct', 2, (d, i) => u16(d, i) / 10)],
  [0x1007, one('illuminance_lux', 3, (d, i) => d[i]! | (d[i + 1]! << 8) | (d[i + 2]! << 16))],
  [0x1008, one('moisture_pct', 1, (d, i) => d[i]!)],
  [0x1009, one('conductivity_us_cm', 2, u16)],
  [0x100a, one('battery_pct', 1, (d, i) => d[i]!)],
  [
    0x100d,
    (d, i, n, v) => {
      if (n < 4) return false;
      v.temperature_c = s16(d, i) / 10;
      v.humidity_pct = u16(d, i + 2) / 10;
      return true;
    },
  ],
  [0x1010, one('formaldehyde_mg_m3', 2, (d, i) => u16(d, i) / 100)],
  [0x0003, one('motion_detected', 1, (d, i) => d[i] !== 0)],
  [0x4c01, one('temperature_c', 4, (d, i) => Math.round(f32(d, i) * 100) / 100)],
  [0x4c02, one('humidity_pct', 1, (d, i) => d[i]!)],
  [0x4c08, one('humidity_pct', 4, (d, i) => Math.round(f32(d, i) * 100) / 100)],
  [0x4803, one('battery_pct', 1, (d, i) => d[i]!)],
]);

/** Value names the object table can produce (plus the `mac` identity). */
export const MIBEACON_VALUE_NAMES = [
  'temperature_c',
  'humidity_pct',
  'illuminance_lux',
  'moisture_pct',
  'conductivity_us_cm',
  'battery_pct',
  'formaldehyde_mg_m3',
  'motion_detected',
  'mac',
];

function lookupKey(keys: ReadonlyMap<string, Uint8Array> | undefined, mac: string): Uint8Array | undefined {
  if (keys === undefined || keys.size === 0) return undefined;
  return keys.get(mac) ?? keys.get(mac.toLowerCase());
}

/**
 * Xiaomi MiBeacon (v2–v5): frame control, product id, frame counter, optional MAC (reversed),
 * optional capability byte(s), then objects `id(2) len(1) data`. Encrypted v4/v5 payloads are
 * opened with the device's bind key (AES-128-CCM, see mibeacon-crypto.ts); with a key configured,
 * plaintext object adverts are refused (`downgrade`).
 */
export function decodeMibeacon(data: Uint8Array, context: FormatDecodeContext): FormatDecodeResult {
  if (data.length < 5) return decodeFailure('bad_length', `MiBeacon is ${data.length} bytes, too short`);
  const frame = u16(data, 0);
  const version = frame >> 12;
  if (version < 2 || version > 5) {
    return decodeFailure('unsupported_version', `MiBeacon version ${version} is not decoded (2–5)`);
  }
  let at = 5;
  const values: ReadingValues = {};
  let mac: string | undefined;
  if (frame & MIBEACON_FRAME.macIncluded) {
    if (data.length < at + 6) return decodeFailure('bad_length', 'MiBeacon flags a MAC but is too short');
    mac = macFromBytes(Uint8Array.from(data.subarray(at, at + 6)).reverse());
    values.mac = mac;
    at += 6;
  }
  if (frame & MIBEACON_FRAME.capabilityIncluded) {
    if (data.length < at + 1)
      return decodeFailure('bad_length', 'MiBeacon flags a capability but is too short');
    const capability = data[at]!;
    at += 1;
    if (capability & 0x20) at += 2; // I/O capability
  }
  if ((frame & MIBEACON_FRAME.objectIncluded) === 0) {
    return decodeFailure('no_values', 'MiBeacon without objects (identity only)');
  }
  const identity = mac ?? context.address;
  const key = lookupKey(context.keys, identity);
  let objects = data.subarray(at);
  if (frame & MIBEACON_FRAME.encrypted) {
    if (version < 4)
      return decodeFailure(
        'unsupported_version',
        `encrypted MiBeacon v${version} is not decoded (v4/v5 only)`,
      );
    const opened = decryptMibeacon(data, at, identity, key, context);
    if (!opened.ok) return opened;
    objects = opened.plain;
  } else if (key !== undefined) {
    return decodeFailure(
      'downgrade',
      `plaintext MiBeacon objects from ${identity}, which has a key configured`,
    );
  }
  let count = 0;
  let i = 0;
  while (i + 3 <= objects.length) {
    const id = u16(objects, i);
    const len = objects[i + 2]!;
    if (i + 3 + len > objects.length) break;
    const reader = MIBEACON_OBJECTS.get(id);
    if (reader?.(objects, i + 3, len, values)) count++;
    i += 3 + len;
  }
  if (count === 0) return decodeFailure('no_values', 'MiBeacon has no object this decoder knows');
  return { ok: true, values, sequence: data[4]! };
}
