import type { ReadingValue, ReadingValues } from '../../advertisement.js';
import type { FormatDecodeContext } from '../../format-definition.js';
import { type DeviceDefinition, defineFamily, type FieldSpec } from '../definition.js';

/**
 * SwitchBot temperature: a decimal nibble and a byte whose bit 7 set means "above zero" and whose
 * low 7 bits are the whole degrees. `raw` is the 16-bit big-endian (decimal byte, degrees byte).
 */
const temperature = (raw: number): ReadingValue => {
  const t = (raw & 0x7f) + ((raw >> 8) & 0x0f) / 10;
  return raw & 0x80 ? t : -t;
};

const METER_SERVICE: readonly FieldSpec[] = [
  { name: 'battery_pct', at: 2, type: 'u8', bits: [0, 7] },
  { name: 'temperature_c', at: 3, type: 'u16be', compute: temperature },
  { name: 'humidity_pct', at: 5, type: 'u8', bits: [0, 7] },
];

/** Manufacturer data (company 0x0969): MAC, then the same temperature/humidity bytes from offset 10. */
const METER_MANUFACTURER: readonly FieldSpec[] = [
  { name: 'mac', at: 2, type: 'mac', identity: true },
  { name: 'temperature_c', at: 10, type: 'u16be', compute: temperature },
  { name: 'humidity_pct', at: 12, type: 'u8', bits: [0, 7] },
];

function meterService(serviceUuid: string, type: number): DeviceDefinition {
  return {
    brand: 'SwitchBot',
    model: 'Meter (Plus)',
    modelId: 'THX1/W230150X',
    match: { serviceUuid, where: [{ length: 6 }, { at: 0, equals: type, mask: 0x7f }] },
    fields: METER_SERVICE,
  };
}

/** The outdoor meter keeps its battery in the 3-byte service data (0xFD3D, type 'w'). */
function serviceBattery(values: ReadingValues, context: FormatDecodeContext): void {
  for (const s of context.advert?.serviceData ?? []) {
    if (s.data.length === 3 && s.data[0] === 0x77) values.battery_pct = s.data[2]! & 0x7f;
  }
}

/** A SwitchBot device on service data 0xFD3D and the legacy 0x0D00: byte 0 (bits 0–6) is its type. */
function onService(
  type: number,
  model: string,
  modelId: string,
  length: number[],
  fields: readonly FieldSpec[],
): DeviceDefinition[] {
  return ['fd3d', '0d00'].map((serviceUuid) => ({
    brand: 'SwitchBot',
    model,
    modelId,
    match: { serviceUuid, where: [{ length }, { at: 0, equals: type, mask: 0x7f }] },
    fields,
  }));
}

const BATTERY: FieldSpec = { name: 'battery_pct', at: 2, type: 'u8', bits: [0, 7] };

/** Blind Tilt battery: service data frame 0x78, byte 2 (bits 0–6). */
function tiltBattery(values: ReadingValues, context: FormatDecodeContext): void {
  for (const s of context.advert?.serviceData ?? []) {
    if (s.data.length === 3 && (s.data[0]! & 0x7f) === 0x78) values.battery_pct = s.data[2]! & 0x7f;
  }
}

/** Blind Tilt position byte: (bits 0–6 − 50) × 2 is −100 (closed down) … 0 (open) … +100 (closed up). */
const tilt = (raw: number): number => ((raw & 0x7f) - 50) * 2;

/**
 * SwitchBot meters (service data 0xFD3D / legacy 0x0D00, or manufacturer data 0x0969), as in
 * SwitchBot's BLE open API (github.com/OpenWonderLabs/SwitchBotAPI-BLE).
 */
export const switchbotFamily = defineFamily({
  id: 'switchbot',
  title: 'SwitchBot meters (service data 0xFD3D/0x0D00, company 0x0969)',
  source: 'SwitchBot BLE open API (OpenWonderLabs/SwitchBotAPI-BLE)',
  devices: [
    ...onService(
      0x48,
      'Bot',
      'X1',
      [3, 4, 5, 6],
      [
        { name: 'mode', at: 1, type: 'u8', bits: [7, 1], enum: { 0: 'onestate', 1: 'on/off' } },
        { name: 'state', at: 1, type: 'u8', bits: [6, 1], enum: { 0: 'on', 1: 'off' } },
        BATTERY,
      ],
    ),
    ...onService(
      0x73,
      'Motion Sensor',
      'W110150X',
      [6],
      [
        { name: 'motion_detected', at: 1, type: 'u8', bits: [6, 1], bool: true },
        { name: 'scope_tested', at: 1, type: 'u8', bits: [7, 1], bool: true },
        BATTERY,
        { name: 'led_on', at: 5, type: 'u8', bits: [5, 1], bool: true },
        {
          name: 'sensing_distance',
          at: 5,
          type: 'u8',
          bits: [2, 2],
          enum: { 0: 'long', 1: 'middle', 2: 'short' },
        },
        { name: 'light_level', at: 5, type: 'u8', bits: [1, 1], enum: { 0: 'dark', 1: 'bright' } },
      ],
    ),
    ...onService(
      0x64,
      'Contact Sensor',
      'W120150X',
      [9],
      [
        { name: 'motion_detected', at: 1, type: 'u8', bits: [6, 1], bool: true },
        { name: 'scope_tested', at: 1, type: 'u8', bits: [7, 1], bool: true },
        BATTERY,
        {
          name: 'contact',
          at: 3,
          type: 'u8',
          bits: [1, 2],
          enum: { 0: 'closed', 1: 'open', 2: 'timeout not closed', 3: 'timeout not closed' },
        },
        { name: 'light_level', at: 3, type: 'u8', bits: [0, 1], enum: { 0: 'dark', 1: 'bright' } },
        { name: 'in_count', at: 8, type: 'u8', bits: [6, 2] },
        { name: 'out_count', at: 8, type: 'u8', bits: [4, 2] },
        { name: 'button_count', at: 8, type: 'u8', bits: [0, 4] },
      ],
    ),
    ...[0x63, 0x7b].flatMap((type) =>
      onService(
        type,
        'Curtain (2/3)',
        'W070160X',
        [5, 6],
        [
          { name: 'calibrated', at: 1, type: 'u8', bits: [6, 1], bool: true },
          BATTERY,
          { name: 'moving', at: 3, type: 'u8', bits: [7, 1], bool: true },
          { name: 'position_pct', at: 3, type: 'u8', bits: [0, 7] },
          { name: 'light_level', at: 4, type: 'u8', bits: [4, 4] },
        ],
      ),
    ),
    {
      brand: 'SwitchBot',
      model: 'Blind Tilt',
      modelId: 'W270160X',
      match: { companyId: 0x0969, where: [{ length: [12, 13] }] },
      fields: [
        { name: 'mac', at: 2, type: 'mac', identity: true },
        { name: 'light_level', at: 9, type: 'u8', bits: [4, 4] },
        { name: 'calibrated', at: 9, type: 'u8', bits: [0, 1], bool: true },
        { name: 'moving', at: 10, type: 'u8', bits: [7, 1], bool: true },
        { name: 'tilt_open_pct', at: 10, type: 'u8', compute: (raw) => 100 - Math.abs(tilt(raw)) },
        {
          name: 'tilt_direction',
          at: 10,
          type: 'u8',
          compute: (raw) => (tilt(raw) > 0 ? 'up' : tilt(raw) < 0 ? 'down' : '—'),
        },
      ],
      complete: tiltBattery,
      valueNames: ['battery_pct'],
    },
    meterService('fd3d', 0x54),
    meterService('fd3d', 0x69),
    meterService('0d00', 0x54),
    meterService('0d00', 0x69),
    {
      brand: 'SwitchBot',
      model: 'Meter (Plus)',
      modelId: 'THX1/W230150X',
      match: { companyId: 0x0969, name: { prefix: 'WoSensorTH' }, where: [{ length: 13 }] },
      fields: METER_MANUFACTURER,
      // Same length as a Blind Tilt's newer frame: the name decides first.
      priority: 1,
    },
    {
      brand: 'SwitchBot',
      model: 'Outdoor Meter',
      modelId: 'W340001X',
      match: { companyId: 0x0969, where: [{ length: 14 }] },
      fields: METER_MANUFACTURER,
      complete: serviceBattery,
      valueNames: ['battery_pct'],
      priority: -1,
    },
    {
      brand: 'SwitchBot',
      model: 'Outdoor Meter',
      modelId: 'W340001X',
      match: { serviceUuid: 'fd3d', where: [{ length: 3 }, { at: 0, equals: 0x77 }] },
      fields: [{ name: 'battery_pct', at: 2, type: 'u8', bits: [0, 7] }],
    },
  ],
});
