import { defineFamily } from '../definition.js';

const MODE = { 0: 'person', 1: 'object' } as const;

/**
 * Xiaomi Mi scales: Weight Scale service data (0x181D, Mi Smart Scale) and Body Composition
 * service data (0x181B, Mi Body Composition Scale). The control bits say the unit (kg: raw/200,
 * lb: raw/100), whether the load is a person, and whether an impedance is present.
 */
export const xiaomiScalesFamily = defineFamily({
  id: 'xiaomi_scale',
  title: 'Xiaomi Mi scales (service data 0x181D / 0x181B)',
  source: 'Bluetooth Weight Scale service; openScale Mi scale notes (control bits)',
  devices: [
    {
      brand: 'Xiaomi',
      model: 'Mi Smart Scale',
      modelId: 'XMTZC01HM/XMTZC04HM',
      match: { serviceUuid: '181d', where: [{ length: 10 }] },
      fields: [
        { name: 'weighing_mode', at: 0, type: 'u8', bits: [6, 1], enum: MODE },
        { name: 'mass_kg', at: 1, type: 'u16le', div: 200, when: [{ at: 0, equals: 0, mask: 0x01 }] },
        { name: 'mass_lb', at: 1, type: 'u16le', div: 100, when: [{ at: 0, equals: 1, mask: 0x01 }] },
      ],
    },
    {
      brand: 'Xiaomi',
      model: 'Mi Body Composition Scale',
      modelId: 'XMTZC02HM/XMTZC05HM',
      match: { serviceUuid: '181b', where: [{ length: 13 }] },
      fields: [
        { name: 'weighing_mode', at: 0, type: 'u8', bits: [2, 1], enum: MODE },
        { name: 'impedance_ohm', at: 9, type: 'u16le', when: [{ at: 1, equals: 0x02, mask: 0x02 }] },
        { name: 'mass_kg', at: 11, type: 'u16le', div: 200, when: [{ at: 0, equals: 0, mask: 0x01 }] },
        { name: 'mass_lb', at: 11, type: 'u16le', div: 100, when: [{ at: 0, equals: 1, mask: 0x01 }] },
      ],
    },
  ],
});
