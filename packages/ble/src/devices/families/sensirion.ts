import { defineFamily, type FieldSpec } from '../definition.js';

const TEMPERATURE: FieldSpec = {
  name: 'temperature_c',
  at: 6,
  type: 'u16le',
  scale: 175,
  div: 65535,
  add: -45,
};

/** Sensirion gadget adverts (company 0x06D5): advert type 0, sample type, device id, then samples. */
export const sensirionFamily = defineFamily({
  id: 'sensirion',
  title: 'Sensirion SHT4x / SCD4x gadgets (company 0x06D5)',
  source: 'Sensirion "BLE communication protocol" for gadgets (sample types 6, 8, 10)',
  devices: [
    {
      brand: 'Sensirion',
      model: 'TH Sensor',
      modelId: 'SHT4X',
      match: { companyId: 0x06d5, where: [{ at: 2, equals: 0 }, { at: 3, equals: 6 }, { minLength: 10 }] },
      fields: [TEMPERATURE, { name: 'humidity_pct', at: 8, type: 'u16le', scale: 125, div: 65535, add: -6 }],
    },
    {
      brand: 'Sensirion',
      model: 'MyCO₂/CO₂ Gadget',
      modelId: 'SCD4X',
      match: {
        companyId: 0x06d5,
        where: [{ at: 2, equals: 0 }, { at: 3, equals: [8, 10] }, { minLength: 12 }],
      },
      fields: [
        TEMPERATURE,
        { name: 'humidity_pct', at: 8, type: 'u16le', scale: 100, div: 65535 },
        { name: 'co2_ppm', at: 10, type: 'u16le' },
      ],
    },
  ],
});
