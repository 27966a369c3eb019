import { bitFlagsField, indexField, numericField, textField } from './field-matchers.js';
import type { MeterDriver } from './meter-driver.js';

const DURATIONS = [
  '',
  '1-8 hours',
  '9-24 hours',
  '2-3 days',
  '4-7 days',
  '8-14 days',
  '15-21 days',
  '22-31 days',
];

function durationMap(shift: number): Array<readonly [number, string]> {
  return DURATIONS.map((text, i) => [i << shift, text] as const);
}

const STATUS16_BITS = [
  [0, 'DRY'],
  [1, 'REVERSE'],
  [2, 'LEAK'],
  [3, 'BURST'],
] as const;

/** flowIQ 32-bit info codes; the misspelt LOW_ABIENT_TEMPERATURE is wmbusmeters' text, kept for compatibility. */
const STATUS32_BITS = [
  ...STATUS16_BITS,
  [4, 'TAMPER'],
  [5, 'LOW_BATTERY'],
  [6, 'LOW_ABIENT_TEMPERATURE'],
  [7, 'FLOW_ABOVE_Q4'],
  [9, 'NO_CONSUMPTION'],
] as const;

/**
 * Kamstrup Multical 21 / flowIQ 2200 / KWM water meters (wmbusmeters' kamwater, alias multical21,
 * flowiq2200), C1, ELL AES-128-CTR. Field names as wmbusmeters' multical21 driver prints them
 * (total_m3, target_m3, flow_temperature_c, external_temperature_c, current_status, …). The compact
 * formats wmbusmeters lists for kamwater are built in.
 */
export const kamwater: MeterDriver = {
  name: 'kamwater',
  aliases: ['multical21', 'flowiq2200'],
  description: 'Kamstrup Multical 21 / flowIQ water meter',
  media: 'water',
  detect: [
    { manufacturer: 'KAM', version: 0x1b, deviceType: 0x06 },
    { manufacturer: 'KAM', version: 0x1b, deviceType: 0x16 },
    { manufacturer: 'KAW', version: 0x3a, deviceType: 0x16 },
    { manufacturer: 'KAW', version: 0x3c, deviceType: 0x16 },
    { manufacturer: 'KAM', version: 0x1d, deviceType: 0x16 },
    { manufacturer: 'KAW', version: 0x42, deviceType: 0x06 },
    { manufacturer: 'KAW', version: 0x42, deviceType: 0x16 },
  ],
  compactFormats: [
    '02FF2004134413615B6167',
    '02FF20041392013BA1015B8101E7FF0F',
    '04FF234413523B06FF1B426C61675167023B04138101E7FF0F',
    '02FF2004134413426C523B615B616751678101E7FF0F06FF1B',
    '02FF2004134413A1015B8101E7FF0F',
    '02FF2004134413615B5167',
    '02FF2004134413',
    '02FF200413523B',
    '04FF2304134413426C023B92013BA2013B06FF1BA1015B91015BA10167',
  ],
  fields: [
    bitFlagsField('status', 'Status and error flags.', {
      none: 'OK',
      sources: [
        { key: '02ff20', mask: 0x000f, bits: STATUS16_BITS },
        { key: '04ff23', mask: 0xffffffff, bits: STATUS32_BITS },
      ],
    }),
    numericField('total_m3', 'm3', 'The total water consumption recorded by this meter.', {
      quantity: 'volume',
    }),
    numericField('target_m3', 'm3', 'The total water consumption recorded at the beginning of this month.', {
      quantity: 'volume',
      storage: 1,
    }),
    textField('target_date', 'The date of the target (month start) reading.', {
      quantity: 'date',
      storage: 1,
    }),
    numericField('flow_m3h', 'm3/h', 'The current flow of water through the meter.', {
      quantity: 'volume_flow',
    }),
    numericField('max_flow_m3h', 'm3/h', 'The maximum flow recorded during previous period.', {
      quantity: 'volume_flow',
      function: 'maximum',
      storage: 'any',
    }),
    numericField('flow_temperature_c', 'C', 'The water temperature.', {
      quantity: 'flow_temperature',
      function: 'minimum',
      storage: 'any',
    }),
    numericField('external_temperature_c', 'C', 'The external temperature outside of the meter.', {
      quantity: 'external_temperature',
      function: 'any',
      storage: 'any',
      combinable: 'any',
    }),
    numericField('min_external_temperature_c', 'C', 'The lowest external temperature outside of the meter.', {
      quantity: 'external_temperature',
      function: 'minimum',
    }),
    bitFlagsField('current_status', 'Status of meter. This field will go away use status instead.', {
      none: '',
      sources: [{ key: '02ff20', mask: 0x000f, bits: STATUS16_BITS }],
    }),
    indexField('time_dry', 'Amount of time the meter has been dry.', '02ff20', 0x0070, durationMap(4)),
    indexField(
      'time_reversed',
      'Amount of time the meter has been reversed.',
      '02ff20',
      0x0380,
      durationMap(7),
    ),
    indexField(
      'time_leaking',
      'Amount of time the meter has been leaking.',
      '02ff20',
      0x1c00,
      durationMap(10),
    ),
    indexField(
      'time_bursting',
      'Amount of time the meter has been bursting.',
      '02ff20',
      0xe000,
      durationMap(13),
    ),
  ],
};
