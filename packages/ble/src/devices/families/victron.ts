import { decodeVictron, VICTRON_COMPANY_ID } from '../../formats/victron.js';
import { compileFields } from '../compile-fields.js';
import { type DeviceDefinition, defineFamily, type FieldSpec } from '../definition.js';

const CHARGE_STATES = {
  0: 'off',
  1: 'low_power',
  2: 'fault',
  3: 'bulk',
  4: 'absorption',
  5: 'float',
  6: 'storage',
  7: 'equalize',
  9: 'inverting',
  11: 'power_supply',
  245: 'starting_up',
  252: 'external_control',
} as const;

/** Decrypted record layouts (Victron "Extra manufacturer data" document), as plain field definitions. */
const SOLAR_CHARGER: readonly FieldSpec[] = [
  { name: 'charge_state', at: 0, type: 'u8', enum: CHARGE_STATES },
  { name: 'charger_error', at: 1, type: 'u8' },
  { name: 'voltage_v', at: 2, type: 's16le', div: 100, invalid: [0x7fff] },
  { name: 'current_a', at: 4, type: 's16le', div: 10, invalid: [0x7fff] },
  { name: 'yield_today_kwh', at: 6, type: 'u16le', div: 100, invalid: [0xffff] },
  { name: 'solar_power_w', at: 8, type: 'u16le', invalid: [0xffff] },
  { name: 'load_current_a', at: 10, type: 'u16le', bits: [0, 9], div: 10, invalid: [0x1ff] },
];

const BATTERY_MONITOR: readonly FieldSpec[] = [
  { name: 'time_remaining_min', at: 0, type: 'u16le', invalid: [0xffff] },
  { name: 'voltage_v', at: 2, type: 's16le', div: 100, invalid: [0x7fff] },
  { name: 'alarm', at: 4, type: 'u16le' },
  { name: 'starter_voltage_v', at: 6, type: 's16le', div: 100, when: [{ at: 8, equals: 0, mask: 0x03 }] },
  { name: 'midpoint_voltage_v', at: 6, type: 'u16le', div: 100, when: [{ at: 8, equals: 1, mask: 0x03 }] },
  {
    name: 'temperature_c',
    at: 6,
    type: 'u16le',
    offset: -27315,
    div: 100,
    when: [{ at: 8, equals: 2, mask: 0x03 }],
  },
  // 22-bit signed current (mA) after the 2 aux-input bits.
  { name: 'current_a', at: 8, type: 'u24le', bits: [2, 22], compute: (raw) => ((raw << 10) >> 10) / 1000 },
  { name: 'consumed_ah', at: 11, type: 'u24le', bits: [0, 20], div: 10, invalid: [0xfffff] },
  { name: 'battery_pct', at: 13, type: 'u16le', bits: [4, 10], div: 10, invalid: [0x3ff] },
];

function record(
  recordType: number,
  model: string,
  modelId: string,
  fields: readonly FieldSpec[],
): DeviceDefinition {
  const readRecord = compileFields(fields, `victron ${modelId}`, `Victron ${modelId}`, undefined);
  return {
    brand: 'Victron Energy',
    model,
    modelId,
    match: {
      companyId: VICTRON_COMPANY_ID,
      where: [{ at: 2, equals: 0x10 }, { at: 6, equals: recordType }, { minLength: 11 }],
    },
    decode: (data, context) => decodeVictron(data, context, readRecord),
    valueNames: fields.map((f) => f.name),
  };
}

/** Victron Instant Readout (AES-128-CTR with a per-device key), one device per record type. */
export const victronFamily = defineFamily({
  id: 'victron',
  title: 'Victron Energy Instant Readout (company 0x02E1, AES-128-CTR with the device key)',
  source:
    'Victron "BLE Advertising protocol / extra manufacturer data" document; vectors from keshavdv/victron-ble',
  devices: [
    record(0x01, 'Solar charger (SmartSolar/BlueSolar MPPT)', 'VICTRON_SOLAR_CHARGER', SOLAR_CHARGER),
    record(0x02, 'Battery monitor (SmartShunt/BMV)', 'VICTRON_BATTERY_MONITOR', BATTERY_MONITOR),
  ],
});
