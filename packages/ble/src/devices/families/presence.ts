import { type DeviceDefinition, defineFamily, type FieldSpec } from '../definition.js';

const APPLE = 0x004c;
const PRESENT: FieldSpec = { name: 'present', at: 0, type: 'u8', const: true };

function tracker(
  brand: string,
  model: string,
  modelId: string,
  match: DeviceDefinition['match'],
): DeviceDefinition {
  return { brand, model, modelId, match, fields: [PRESENT] };
}

/**
 * Phones, watches, trackers and beacons that carry no measurement: a reading says the device is
 * present (and, for Apple devices, whether it is unlocked). Opt-in at the edge (`ble.formats`), because
 * every phone nearby would otherwise become a stream of readings.
 */
export const presenceFamily = defineFamily({
  id: 'presence',
  title: 'Presence: Apple devices, Tile, iTAG, Nut, G-Tag, TicWatch, Microsoft CDP, GAEN (opt-in)',
  optIn: true,
  source:
    'Apple Continuity / Microsoft CDP / GAEN frame shapes; tracker names and UUIDs as listed by Theengs Decoder',
  devices: [
    {
      brand: 'Apple',
      model: 'Apple Watch',
      modelId: 'APPLEWATCH',
      match: {
        companyId: APPLE,
        where: [
          { length: 9 },
          { at: 2, equals: 0x10 },
          { at: 3, equals: 0x05 },
          { at: 5, equals: 0x18, mask: 0x7f },
        ],
      },
      fields: [PRESENT, { name: 'unlocked', at: 5, type: 'u8', bits: [7, 1], bool: true }],
      priority: 3,
    },
    {
      brand: 'Apple',
      model: 'Apple iPhone/iPad',
      modelId: 'APPLEDEVICE',
      match: { companyId: APPLE, where: [{ minLength: 4 }, { at: 2, equals: 0x10 }] },
      fields: [
        PRESENT,
        { name: 'unlocked', at: 4, type: 'u8', bits: [0, 4], compute: (raw) => raw === 0x0b },
      ],
      priority: 2,
    },
    tracker('Apple', 'Apple Continuity', 'APPLE_CONT', {
      companyId: APPLE,
      where: [
        { minLength: 5, maxLength: 24 },
        { at: 2, equals: 0x00, mask: 0xe0 },
      ],
    }),
    tracker('Apple', 'Apple Continuity', 'APPLE_CONTAT', {
      companyId: APPLE,
      where: [{ minLength: 26 }, { at: 2, equals: 0x00, mask: 0xe0 }],
    }),
    ...['feed', 'feec', 'fd84'].map((serviceUuid) =>
      tracker('Tile', 'Smart Tracker', 'TILE', { serviceUuid }),
    ),
    tracker('Tile', 'Smart Tracker', 'TILE', { name: 'Tile' }),
    tracker('iTAG', 'Smart Tracker', 'ITAG', { name: { prefix: 'iTAG' }, where: [{ minLength: 4 }] }),
    tracker('nut', 'Smart Tracker', 'NUT', { name: 'nut', where: [{ length: 4 }] }),
    tracker('nut', 'Smart Tracker', 'NUTALE', {
      serviceUuid: '0900',
      name: 'nutale',
      where: [{ length: 12 }],
    }),
    tracker('Gigaset', 'G-Tag', 'GTAG', {
      companyId: 0x0180,
      where: [
        { length: 12 },
        { at: 2, equals: 0x02 },
        { at: 3, equals: 0x15 },
        { at: 4, equals: 0x12 },
        { at: 5, equals: 0x34 },
      ],
    }),
    tracker('Mobvoi', 'TicWatch GTH (Pro)', 'TICWATCHGTH', { name: { prefix: 'TicWatch GTH' } }),
    tracker('GENERIC', 'MS-CDP', 'MS-CDP', { companyId: 0x0006, where: [{ at: 2, equals: 0x01 }] }),
    {
      brand: 'GENERIC',
      model: 'GAEN',
      modelId: 'GAEN',
      match: { serviceUuid: 'fd6f', where: [{ length: 20 }] },
      fields: [
        PRESENT,
        { name: 'rolling_proximity_id', at: 0, type: 'hex16', identity: true },
        { name: 'associated_encrypted_metadata', at: 16, type: 'hex4', identity: true },
      ],
    },
  ],
});
