/**
 * The BTHome v2 object table (bthome.io/format, cross-checked with bthome-ble 3.20 `const.py`):
 * id → value name (snake_case, unit suffix), encoding, size and factor. Values are little-endian;
 * scaled value = raw × mul / div (one exact division, so 0x02 `CA09` is 25.06, not 25.060000000000002).
 */
export type BthomeKind =
  /** unsigned integer of `size` bytes */
  | 'uint'
  /** two's-complement integer of `size` bytes */
  | 'sint'
  /** binary sensor, 1 byte, non-zero = true */
  | 'bool'
  /** length byte + UTF-8 text */
  | 'text'
  /** length byte + bytes, reported as lower-case hex */
  | 'raw'
  /** button event, 1 byte */
  | 'button'
  /** dimmer event: direction byte + steps byte (two values: `dimmer_event`, `dimmer_steps`) */
  | 'dimmer'
  /** firmware version, `size` bytes little-endian, reported most significant first as `a.b.c[.d]` */
  | 'firmware';

export interface BthomeObject {
  readonly id: number;
  readonly name: string;
  readonly kind: BthomeKind;
  /** Value bytes after the id (for `text`/`raw`: 0, the length byte says). */
  readonly size: number;
  readonly mul: number;
  readonly div: number;
}

function o(id: number, name: string, kind: BthomeKind, size: number, div = 1, mul = 1): BthomeObject {
  return { id, name, kind, size, mul, div };
}

export const BTHOME_OBJECTS: readonly BthomeObject[] = [
  o(0x00, 'packet_id', 'uint', 1),
  o(0x01, 'battery_pct', 'uint', 1),
  o(0x02, 'temperature_c', 'sint', 2, 100),
  o(0x03, 'humidity_pct', 'uint', 2, 100),
  o(0x04, 'pressure_hpa', 'uint', 3, 100),
  o(0x05, 'illuminance_lux', 'uint', 3, 100),
  o(0x06, 'mass_kg', 'uint', 2, 100),
  o(0x07, 'mass_lb', 'uint', 2, 100),
  o(0x08, 'dew_point_c', 'sint', 2, 100),
  o(0x09, 'count', 'uint', 1),
  o(0x0a, 'energy_kwh', 'uint', 3, 1000),
  o(0x0b, 'power_w', 'uint', 3, 100),
  o(0x0c, 'voltage_v', 'uint', 2, 1000),
  o(0x0d, 'pm25_ug_m3', 'uint', 2),
  o(0x0e, 'pm10_ug_m3', 'uint', 2),
  o(0x0f, 'generic_on', 'bool', 1),
  o(0x10, 'power_on', 'bool', 1),
  o(0x11, 'opening_open', 'bool', 1),
  o(0x12, 'co2_ppm', 'uint', 2),
  o(0x13, 'tvoc_ug_m3', 'uint', 2),
  o(0x14, 'moisture_pct', 'uint', 2, 100),
  o(0x15, 'battery_low', 'bool', 1),
  o(0x16, 'battery_charging', 'bool', 1),
  o(0x17, 'co_detected', 'bool', 1),
  o(0x18, 'cold', 'bool', 1),
  o(0x19, 'connected', 'bool', 1),
  o(0x1a, 'door_open', 'bool', 1),
  o(0x1b, 'garage_door_open', 'bool', 1),
  o(0x1c, 'gas_detected', 'bool', 1),
  o(0x1d, 'hot', 'bool', 1),
  o(0x1e, 'light_detected', 'bool', 1),
  o(0x1f, 'unlocked', 'bool', 1),
  o(0x20, 'moisture_wet', 'bool', 1),
  o(0x21, 'motion_detected', 'bool', 1),
  o(0x22, 'moving', 'bool', 1),
  o(0x23, 'occupancy_detected', 'bool', 1),
  o(0x24, 'plugged_in', 'bool', 1),
  o(0x25, 'present', 'bool', 1),
  o(0x26, 'problem', 'bool', 1),
  o(0x27, 'running', 'bool', 1),
  o(0x28, 'safe', 'bool', 1),
  o(0x29, 'smoke_detected', 'bool', 1),
  o(0x2a, 'sound_detected', 'bool', 1),
  o(0x2b, 'tampered', 'bool', 1),
  o(0x2c, 'vibration_detected', 'bool', 1),
  o(0x2d, 'window_open', 'bool', 1),
  o(0x2e, 'humidity_pct', 'uint', 1),
  o(0x2f, 'moisture_pct', 'uint', 1),
  o(0x3a, 'button_event', 'button', 1),
  o(0x3c, 'dimmer_event', 'dimmer', 2),
  o(0x3d, 'count', 'uint', 2),
  o(0x3e, 'count', 'uint', 4),
  o(0x3f, 'rotation_deg', 'sint', 2, 10),
  o(0x40, 'distance_mm', 'uint', 2),
  o(0x41, 'distance_m', 'uint', 2, 10),
  o(0x42, 'duration_s', 'uint', 3, 1000),
  o(0x43, 'current_a', 'uint', 2, 1000),
  o(0x44, 'speed_m_s', 'uint', 2, 100),
  o(0x45, 'temperature_c', 'sint', 2, 10),
  o(0x46, 'uv_index', 'uint', 1, 10),
  o(0x47, 'volume_l', 'uint', 2, 10),
  o(0x48, 'volume_ml', 'uint', 2),
  o(0x49, 'volume_flow_rate_m3_h', 'uint', 2, 1000),
  o(0x4a, 'voltage_v', 'uint', 2, 10),
  o(0x4b, 'gas_m3', 'uint', 3, 1000),
  o(0x4c, 'gas_m3', 'uint', 4, 1000),
  o(0x4d, 'energy_kwh', 'uint', 4, 1000),
  o(0x4e, 'volume_l', 'uint', 4, 1000),
  o(0x4f, 'water_l', 'uint', 4, 1000),
  o(0x50, 'timestamp_s', 'uint', 4),
  o(0x51, 'acceleration_m_s2', 'uint', 2, 1000),
  o(0x52, 'gyroscope_deg_s', 'uint', 2, 1000),
  o(0x53, 'text', 'text', 0),
  o(0x54, 'raw_hex', 'raw', 0),
  o(0x55, 'volume_storage_l', 'uint', 4, 1000),
  o(0x56, 'conductivity_us_cm', 'uint', 2),
  o(0x57, 'temperature_c', 'sint', 1),
  o(0x58, 'temperature_c', 'sint', 1, 100, 35),
  o(0x59, 'count', 'sint', 1),
  o(0x5a, 'count', 'sint', 2),
  o(0x5b, 'count', 'sint', 4),
  o(0x5c, 'power_w', 'sint', 4, 100),
  o(0x5d, 'current_a', 'sint', 2, 1000),
  o(0x5e, 'direction_deg', 'uint', 2, 100),
  o(0x5f, 'precipitation_mm', 'uint', 2, 10),
  o(0x60, 'channel', 'uint', 1),
  o(0x61, 'rotational_speed_rpm', 'uint', 2),
  o(0x62, 'speed_m_s', 'sint', 4, 1_000_000),
  o(0x63, 'acceleration_m_s2', 'sint', 4, 1_000_000),
  o(0x64, 'light_level', 'uint', 1),
  o(0xf0, 'device_type_id', 'uint', 2),
  o(0xf1, 'firmware_version', 'firmware', 4),
  o(0xf2, 'firmware_version', 'firmware', 3),
];

/** Object ids in the spec that this decoder treats as unknown (decoding stops there), and why. */
export const BTHOME_UNSUPPORTED_IDS: Readonly<Record<number, string>> = {
  59: 'command event (variable length, added 2026): framing not published in a form verified here',
  101: 'settings revision: size not published in a form verified here',
};

/** Lookup by object id (sparse array, `undefined` = unknown id). */
export const BTHOME_OBJECT_BY_ID: readonly (BthomeObject | undefined)[] = (() => {
  const table: (BthomeObject | undefined)[] = new Array(256).fill(undefined);
  for (const object of BTHOME_OBJECTS) table[object.id] = object;
  return table;
})();

export const BUTTON_EVENTS: Readonly<Record<number, string>> = {
  0: 'none',
  1: 'press',
  2: 'double_press',
  3: 'triple_press',
  4: 'long_press',
  5: 'long_double_press',
  6: 'long_triple_press',
  128: 'hold_press',
  /** Shelly BLU buttons send 0xFE while the button is held (Shelly BLU documentation). */
  254: 'hold_press',
};

export const DIMMER_EVENTS: Readonly<Record<number, string>> = {
  0: 'none',
  1: 'rotate_left',
  2: 'rotate_right',
};

/** Every value name the table can produce (before `_1`/`_2` suffixes for repeats). */
export const BTHOME_VALUE_NAMES: readonly string[] = [
  ...new Set(BTHOME_OBJECTS.flatMap((x) => (x.kind === 'dimmer' ? [x.name, 'dimmer_steps'] : [x.name]))),
];
