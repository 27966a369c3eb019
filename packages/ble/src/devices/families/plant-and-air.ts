import type { ReadingValues } from '../../advertisement.js';
import type { FormatDecodeContext } from '../../format-definition.js';
import { type DeviceDefinition, defineFamily, type FieldSpec } from '../definition.js';

/** Sensor Easy puts the battery voltage in manufacturer data 0x0757: type byte 0xF2, then mV (LE). */
function sensorEasyVoltage(values: ReadingValues, context: FormatDecodeContext): void {
  const md = context.advert?.manufacturerData;
  if (md !== undefined && md.length === 5 && md[0] === 0x57 && md[1] === 0x07 && md[2] === 0xf2) {
    values.voltage_v = (md[3]! | (md[4]! << 8)) / 1000;
  }
}

function sensorEasy(
  prefix: string,
  serviceUuid: string,
  model: string,
  modelId: string,
  length: number,
  fields: readonly FieldSpec[],
): DeviceDefinition[] {
  // The first letter of the name varies (P, C): one device per form.
  return ['P', 'C'].map((letter) => ({
    brand: 'Sensor Easy',
    model,
    modelId,
    match: { serviceUuid, name: { prefix: `${letter}${prefix}` }, where: [{ length }] },
    fields,
    complete: sensorEasyVoltage,
    valueNames: ['voltage_v'],
    priority: 1,
  }));
}

const BPARASITE_FIELDS = (div: number): FieldSpec[] => [
  { name: 'voltage_v', at: 2, type: 'u16be', div: 1000 },
  { name: 'temperature_c', at: 4, type: 's16be', div },
  { name: 'humidity_pct', at: 6, type: 'u16be', scale: 100, div: 65535 },
  { name: 'moisture_pct', at: 8, type: 'u16be', scale: 100, div: 65535 },
  { name: 'mac', at: 10, type: 'mac', identity: true },
  { name: 'illuminance_lux', at: 16, type: 'u16be', when: [{ at: 0, equals: 1, mask: 0x01 }] },
];

/** Plant sensors and air monitors with a fixed layout. */
export const plantAndAirFamily = defineFamily({
  id: 'plant_air',
  title: 'Plant sensors (b-parasite, Mi Flora pink), Aranet4, Sensor Easy (fixed layouts)',
  source:
    'b-parasite README (protocols 1 and 2); Aranet4 advertisement description; layouts as listed by Theengs Decoder',
  devices: [
    {
      brand: 'rbaron',
      model: 'b-parasite',
      modelId: 'BPv1.0-1.2',
      match: {
        serviceUuid: '181a',
        where: [
          { minLength: 16, maxLength: 18 },
          { at: 0, equals: 0x10, mask: 0xf0 },
        ],
      },
      fields: BPARASITE_FIELDS(1000),
      priority: 1,
    },
    {
      brand: 'rbaron',
      model: 'b-parasite',
      modelId: 'BPv1.0-1.2',
      match: {
        serviceUuid: '181a',
        where: [
          { minLength: 16, maxLength: 18 },
          { at: 0, equals: 0x20, mask: 0xf0 },
        ],
      },
      fields: BPARASITE_FIELDS(100),
      priority: 1,
    },
    {
      brand: 'Xiaomi/VegTrug',
      model: 'MiFlora',
      modelId: 'HHCCJCY10',
      match: { serviceUuid: 'fd50', where: [{ length: 9 }] },
      fields: [
        { name: 'moisture_pct', at: 0, type: 'u8' },
        { name: 'temperature_c', at: 1, type: 's16be', div: 10 },
        { name: 'illuminance_lux', at: 3, type: 'u24be' },
        { name: 'battery_pct', at: 6, type: 'u8' },
        { name: 'conductivity_us_cm', at: 7, type: 'u16be' },
      ],
    },
    {
      brand: 'Aranet',
      model: 'Aranet4 CO₂ Monitor',
      modelId: 'ARANET4',
      match: { companyId: 0x0702, where: [{ length: 24 }] },
      fields: [
        { name: 'co2_ppm', at: 10, type: 'u16le' },
        { name: 'temperature_c', at: 12, type: 'u16le', div: 20 },
        { name: 'pressure_hpa', at: 14, type: 'u16le', div: 10 },
        { name: 'humidity_pct', at: 16, type: 'u8' },
        { name: 'battery_pct', at: 17, type: 'u8', bits: [0, 7] },
      ],
    },
    ...sensorEasy(' T ', '2a6e', 'SE TEMP', 'SE_TEMP', 2, [
      { name: 'temperature_c', at: 0, type: 's16le', div: 100, invalid: [0x7fff] },
    ]),
    ...sensorEasy(' TPROBE', '2a6e', 'SE TEMP PROBE', 'SE_TPROBE', 2, [
      { name: 'temperature_c', at: 0, type: 's16le', div: 100, invalid: [0x7fff] },
    ]),
    ...sensorEasy(' RHT', '2a6e', 'SE RHT', 'SE_RHT', 2, [
      { name: 'temperature_c', at: 0, type: 's16le', div: 100, invalid: [0x7fff] },
    ]),
    ...sensorEasy(' RHT', '2a6f', 'SE RHT', 'SE_RHT', 1, [{ name: 'humidity_pct', at: 0, type: 'u8' }]),
    ...sensorEasy(' MAG', '2a06', 'SE MAG', 'SE_MAG', 2, [
      { name: 'opening_open', at: 0, type: 'u8', bits: [0, 1], compute: (raw) => raw === 0 },
    ]),
  ],
});
