import type { ReadingValue } from '../../advertisement.js';
import { type DeviceDefinition, defineFamily, type FieldSpec } from '../definition.js';

/**
 * Govee packs temperature and humidity in one number: bit 23 (or 31) is the sign, the rest is
 * temperature × 10 000 + humidity × 10 (H5075 style) — temperature = ⌊n / 1000⌋ / 10,
 * humidity = (n mod 1000) / 10.
 */
function packedTemperature(signBit: number, divisor: number) {
  return (raw: number): ReadingValue => {
    const negative = raw >= signBit;
    const n = negative ? raw - signBit : raw;
    const t = Math.trunc(n / divisor) / 10;
    return negative ? -t : t;
  };
}
function packedHumidity(signBit: number, divisor: number, modulo: number) {
  return (raw: number): ReadingValue => {
    const n = raw >= signBit ? raw - signBit : raw;
    return Math.trunc((n % divisor) / modulo) / 10;
  };
}

const probe = (n: number, at: number, select: number): FieldSpec => ({
  name: `temperature_c_${n}`,
  at,
  type: 's16le',
  invalid: [-1],
  when: [{ at: 5, equals: select, mask: 0xc0 }],
});

function names(
  prefixes: readonly string[],
  base: Omit<DeviceDefinition, 'match'>,
  companyId: number,
): DeviceDefinition[] {
  return prefixes.map((prefix, i) => ({
    ...base,
    match: { companyId, name: { prefix } },
    ...(i > 0 ? { modelId: base.modelId } : {}),
  }));
}

const H5075_FIELDS: readonly FieldSpec[] = [
  { name: 'temperature_c', at: 3, type: 'u24be', compute: packedTemperature(0x800000, 1000) },
  { name: 'humidity_pct', at: 3, type: 'u24be', compute: packedHumidity(0x800000, 1000, 1) },
  { name: 'battery_pct', at: 6, type: 'u8' },
];

const H5102_FIELDS: readonly FieldSpec[] = [
  { name: 'temperature_c', at: 4, type: 'u24be', compute: packedTemperature(0x800000, 1000) },
  { name: 'humidity_pct', at: 4, type: 'u24be', compute: packedHumidity(0x800000, 1000, 1) },
  { name: 'battery_pct', at: 7, type: 'u8' },
];

/** Govee thermo-hygrometers and BBQ thermometers (manufacturer data; the model is in the local name). */
export const goveeFamily = defineFamily({
  id: 'govee',
  title: 'Govee thermo-hygrometers, air quality monitor and BBQ thermometers (manufacturer data)',
  source: 'Govee advert layouts as decoded by govee-ble (Home Assistant) and Theengs Decoder',
  devices: [
    ...names(
      ['GVH5072', 'GVH5075'],
      {
        brand: 'Govee',
        model: 'Thermo-Hygrometer',
        modelId: 'H5072/75',
        fields: H5075_FIELDS,
      },
      0xec88,
    ),
    ...names(
      ['GVH5100', 'GVH5101', 'GVH5102', 'GVH5104', 'GVH5105', 'GVH5174', 'GVH5177'],
      {
        brand: 'Govee',
        model: 'Smart Thermo-Hygrometer',
        modelId: 'H5100/01/02/04/05/74/77',
        fields: H5102_FIELDS,
      },
      0x0001,
    ),
    {
      brand: 'Govee',
      model: 'Smart Air Quality Monitor',
      modelId: 'H5106',
      match: { companyId: 0x0001, name: { prefix: 'GVH5106' } },
      fields: [
        { name: 'temperature_c', at: 4, type: 'u32be', compute: packedTemperature(0x80000000, 1_000_000) },
        {
          name: 'humidity_pct',
          at: 4,
          type: 'u32be',
          compute: packedHumidity(0x80000000, 1_000_000, 1000),
        },
        { name: 'pm25_ug_m3', at: 4, type: 'u32be', compute: (raw) => (raw % 0x80000000) % 1000 },
      ],
    },
    {
      brand: 'Govee',
      model: 'Thermo-Hygrometer',
      modelId: 'H5074',
      match: { companyId: 0xec88, name: { prefix: 'Govee_H5074' }, where: [{ minLength: 8 }] },
      fields: [
        { name: 'temperature_c', at: 3, type: 's16le', div: 100 },
        { name: 'humidity_pct', at: 5, type: 'u16le', div: 100 },
        { name: 'battery_pct', at: 7, type: 'u8' },
      ],
    },
    {
      brand: 'Govee',
      model: 'Thermo-Hygrometer',
      modelId: 'H5179',
      match: { companyId: 0x8801, name: { prefix: 'Govee_H5179' }, where: [{ length: 11 }] },
      fields: [
        { name: 'temperature_c', at: 6, type: 's16le', div: 100 },
        { name: 'humidity_pct', at: 8, type: 'u16le', div: 100 },
        { name: 'battery_pct', at: 10, type: 'u8' },
      ],
    },
    {
      brand: 'Govee',
      model: 'Bluetooth BBQ Thermometer',
      modelId: 'H5055',
      match: { name: { prefix: 'GVH5055' }, where: [{ minLength: 20 }] },
      fields: [
        { name: 'battery_pct', at: 4, type: 'u8' },
        probe(1, 7, 0x00),
        probe(2, 14, 0x00),
        probe(3, 7, 0x40),
        probe(4, 14, 0x40),
        probe(5, 7, 0x80),
        probe(6, 14, 0x80),
      ],
    },
  ],
});
