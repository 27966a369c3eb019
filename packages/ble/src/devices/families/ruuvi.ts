import { defineFamily } from '../definition.js';

const AXES = ['x', 'y', 'z'] as const;

/**
 * Ruuvi data format 5 (RAWv2), company 0x0499, 24 bytes MSB first after the company id. Every "not
 * available" sentinel (0x8000 signed, 0xFFFF unsigned, 2047 battery, 31 TX power, 0xFF movement,
 * all-FF MAC) makes that value absent, never zero. Scaling is one division of an exact integer, so
 * values equal the decimals in Ruuvi's tables (24.3, not 24.300000000000001).
 */
export const ruuviFamily = defineFamily({
  id: 'ruuvi_v5',
  title: 'Ruuvi data format 5 / RAWv2 (company 0x0499)',
  source: 'docs.ruuvi.com, data format 5 (RAWv2)',
  devices: [
    {
      brand: 'Ruuvi',
      model: 'RuuviTag',
      modelId: 'RuuviTag_RAWv2',
      match: { companyId: 0x0499 },
      checks: [
        { where: { minLength: 3 }, code: 'bad_length', message: 'Ruuvi payload is empty' },
        {
          where: { at: 2, equals: 5 },
          code: 'unsupported_version',
          message: 'Ruuvi data format is not supported (only 5)',
        },
        { where: { length: 26 }, code: 'bad_length', message: 'Ruuvi format 5 payload is not 24 bytes' },
      ],
      fields: [
        { name: 'temperature_c', at: 3, type: 's16be', invalid: [-0x8000], scale: 5, div: 1000 },
        { name: 'humidity_pct', at: 5, type: 'u16be', invalid: [0xffff], scale: 25, div: 10000 },
        { name: 'pressure_hpa', at: 7, type: 'u16be', invalid: [0xffff], offset: 50000, div: 100 },
        ...AXES.map((axis, i) => ({
          name: `acceleration_${axis}_mg`,
          at: 9 + 2 * i,
          type: 's16be' as const,
          invalid: [-0x8000],
        })),
        { name: 'voltage_v', at: 15, type: 'u16be', bits: [5, 11], invalid: [2047], offset: 1600, div: 1000 },
        { name: 'tx_power_dbm', at: 15, type: 'u16be', bits: [0, 5], invalid: [31], scale: 2, add: -40 },
        { name: 'movement_counter', at: 17, type: 'u8', invalid: [0xff] },
        { name: 'measurement_sequence', at: 18, type: 'u16be', invalid: [0xffff] },
        { name: 'mac', at: 20, type: 'mac', invalid: ['FF:FF:FF:FF:FF:FF'], identity: true },
      ],
      sequenceValue: 'measurement_sequence',
    },
    {
      brand: 'Ruuvi',
      model: 'RuuviTag',
      modelId: 'RuuviTag_RAWv1',
      match: { companyId: 0x0499, where: [{ at: 2, equals: 3 }, { length: 16 }] },
      fields: [
        { name: 'humidity_pct', at: 3, type: 'u8', div: 2 },
        // Sign and magnitude: bit 7 of the whole degrees is the sign, then hundredths in the next byte.
        {
          name: 'temperature_c',
          at: 4,
          type: 'u16be',
          compute: (raw) => ((raw & 0x8000 ? -1 : 1) * (((raw >> 8) & 0x7f) * 100 + (raw & 0xff))) / 100,
        },
        { name: 'pressure_hpa', at: 6, type: 'u16be', offset: 50000, div: 100 },
        ...AXES.map((axis, i) => ({
          name: `acceleration_${axis}_mg`,
          at: 8 + 2 * i,
          type: 's16be' as const,
        })),
        { name: 'voltage_v', at: 14, type: 'u16be', div: 1000 },
      ],
    },
  ],
});
