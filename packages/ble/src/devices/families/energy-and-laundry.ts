import { defineFamily, type FieldSpec } from '../definition.js';

/** iNode meters divide by a per-meter constant (bytes 8–9, low 14 bits: pulses per kWh or m³). */
const constant = (d: Uint8Array): number => (d[8]! | (d[9]! << 8)) & 0x3fff;
const ELECTRIC = [{ at: 9, equals: 0, mask: 0x10 }] as const;
const WATER = [{ at: 9, equals: 0x10, mask: 0x10 }] as const;

const INODE_FIELDS: readonly FieldSpec[] = [
  { name: 'power_kw', at: 2, type: 'u16le', when: ELECTRIC, compute: (raw, d) => (raw * 60) / constant(d) },
  { name: 'energy_kwh', at: 4, type: 'u32le', when: ELECTRIC, compute: (raw, d) => raw / constant(d) },
  { name: 'flow_m3_h', at: 2, type: 'u16le', when: WATER, compute: (raw, d) => (raw * 60) / constant(d) },
  { name: 'volume_m3', at: 4, type: 'u32le', when: WATER, compute: (raw, d) => raw / constant(d) },
  // Battery level in tenths: high nibble n → (n − 1) × 10 %, n = 1 or ≥ 11 means full.
  {
    name: 'battery_pct',
    at: 10,
    type: 'u8',
    bits: [4, 4],
    compute: (n) => (n === 1 || n >= 11 ? 100 : (n - 1) * 10),
  },
  { name: 'battery_low', at: 0, type: 'u8', bits: [2, 1], bool: true },
];

/** Energy meters and appliance sensors with fixed manufacturer-data layouts. */
export const energyAndLaundryFamily = defineFamily({
  id: 'energy_laundry',
  title: 'iNode energy meter, SmartDry laundry sensor (manufacturer data)',
  source: 'iNode Energy Meter advertising description; SmartDry layout as listed by Theengs Decoder',
  devices: [
    {
      brand: 'iNode',
      model: 'Energy Meter',
      modelId: 'INEM',
      match: { companyId: [0x8290, 0x8292, 0x8294, 0x8296], where: [{ length: 13 }] },
      fields: INODE_FIELDS,
    },
    {
      brand: 'SmartDry',
      model: 'Laundry Sensor',
      modelId: 'SDLS',
      match: { companyId: 0x01ae, where: [{ length: 14 }] },
      fields: [
        { name: 'temperature_c', at: 2, type: 'f32le', round: 6 },
        { name: 'humidity_pct', at: 6, type: 'f32le', round: 6 },
        { name: 'shake_count', at: 10, type: 'u16le' },
        { name: 'voltage_v', at: 12, type: 'u8', offset: 2847, div: 1000 },
        { name: 'awake', at: 13, type: 'u8', bits: [0, 1], bool: true },
      ],
    },
  ],
});
