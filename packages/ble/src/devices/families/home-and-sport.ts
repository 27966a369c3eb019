import { defineFamily } from '../definition.js';

const FEASY_MODELS = {
  21: 'BP102',
  25: 'BP109',
  26: 'BP103',
  27: 'BP104',
  28: 'BP201',
  29: 'BP106',
  30: 'BP101',
  36: 'BP120',
  39: 'BP108',
  40: 'BP108N',
  41: 'BP103B',
} as const;

/** Mopeka level: raw × speed-of-sound coefficient at the tank temperature (raw °C + 40), in cm. */
const mopekaLevel = (raw: number, d: Uint8Array): number => {
  const t = d[4]! & 0x7f;
  const coefficient = 0.573045 - 0.002822 * t - 0.00000535 * t * t;
  return Math.round((raw & 0x3fff) * coefficient * 1000) / 10000;
};

/** Showers, faucets, door sensors, tyre sensors, heart-rate straps and generic services (fixed layouts). */
export const homeAndSportFamily = defineFamily({
  id: 'home_sport',
  title:
    'Oras/Amphiro, BeeWi, Feasycom, TPMS, Polar, XOSS, April Brother N03, Battery Service (fixed layouts)',
  source: 'Bluetooth Battery Service; vendor layouts as listed by Theengs Decoder',
  devices: [
    {
      brand: 'Oras',
      model: 'Hydractiva Digital',
      modelId: 'ADHS',
      match: { companyId: 0xfaee, where: [{ length: 21 }] },
      fields: [
        { name: 'session', at: 2, type: 'u24be' },
        { name: 'duration_s', at: 5, type: 'u16be' },
        { name: 'volume_l', at: 10, type: 'u24be', div: 2560 },
        { name: 'temperature_c', at: 13, type: 'u8' },
        { name: 'energy_kwh', at: 14, type: 'u16be', div: 100 },
      ],
    },
    {
      brand: 'Oras',
      model: 'Smart faucet',
      modelId: 'ORAS',
      match: { companyId: 0x0131, where: [{ length: 20 }] },
      fields: [
        { name: 'battery_pct', at: 3, type: 'u8', bits: [0, 7] },
        { name: 'serial', at: 5, type: 'ascii10', identity: true },
      ],
    },
    {
      brand: 'Otio/BeeWi',
      model: 'Door & Window Sensor',
      modelId: 'BSDOO',
      match: { companyId: 0x000d, where: [{ length: 7 }, { at: 2, equals: 0x08 }, { at: 3, equals: 0x0c }] },
      fields: [
        { name: 'opening_open', at: 4, type: 'u8', bits: [0, 1], bool: true },
        { name: 'battery_pct', at: 6, type: 'u8' },
      ],
    },
    {
      brand: 'Feasycom',
      model: 'Beacon',
      modelId: 'FEASY',
      match: { serviceUuid: 'fff0', where: [{ length: 11 }] },
      fields: [
        { name: 'beacon_model', at: 0, type: 'u8', enum: FEASY_MODELS },
        { name: 'mac', at: 4, type: 'mac', identity: true },
        { name: 'battery_pct', at: 10, type: 'u8', bits: [0, 7], when: [{ at: 10, notEquals: 0x65 }] },
        { name: 'plugged_in', at: 10, type: 'u8', compute: (raw) => raw === 0x65 },
      ],
    },
    {
      brand: 'GENERIC',
      model: 'TPMS',
      modelId: 'TPMS',
      match: { companyId: 0x0100, where: [{ length: 18 }] },
      fields: [
        { name: 'mac', at: 2, type: 'mac', identity: true },
        { name: 'count', at: 2, type: 'u8', bits: [0, 4], add: 1 },
        { name: 'pressure_bar', at: 8, type: 'u32le', div: 100000 },
        { name: 'temperature_c', at: 12, type: 's32le', div: 100 },
        { name: 'battery_pct', at: 16, type: 'u8' },
        { name: 'alarm', at: 17, type: 'u8', bits: [0, 1], bool: true },
      ],
    },
    {
      brand: 'Polar',
      model: 'Heart Rate Sensor',
      modelId: 'H10',
      match: { companyId: 0x006b, where: [{ length: 6 }] },
      fields: [{ name: 'heart_rate_bpm', at: 5, type: 'u8' }],
    },
    {
      brand: 'XOSS',
      model: 'X2 Heart Rate Sensor',
      modelId: 'XOSSX2',
      match: { companyId: 0xff04, where: [{ length: 6 }] },
      fields: [
        { name: 'battery_pct', at: 3, type: 'u8', bits: [0, 7] },
        { name: 'heart_rate_bpm', at: 5, type: 'u8' },
      ],
    },
    {
      brand: 'April Brother',
      model: 'N03',
      modelId: 'ABN03',
      // Service data 0xAB03 whose first two bytes repeat the UUID.
      match: {
        serviceUuid: 'ab03',
        where: [{ length: 15 }, { at: 0, equals: 0xab }, { at: 1, equals: 0x03 }],
      },
      fields: [
        { name: 'mac', at: 2, type: 'mac', identity: true },
        { name: 'battery_pct', at: 8, type: 'u8' },
        { name: 'temperature_c', at: 9, type: 's16le', div: 8 },
        { name: 'humidity_pct', at: 11, type: 'u16le', div: 2 },
        { name: 'illuminance_lux', at: 13, type: 'u16le' },
      ],
    },
    {
      brand: 'Mopeka/Lippert',
      model: 'Pro Check (Universal)/BottleCheck Sensor',
      modelId: 'M1017',
      match: { companyId: 0x0059, where: [{ length: 12 }, { at: 2, equals: [0x03, 0x06, 0x0c] }] },
      fields: [
        { name: 'voltage_v', at: 3, type: 'u8', bits: [0, 7], div: 32 },
        {
          name: 'battery_pct',
          at: 3,
          type: 'u8',
          bits: [0, 7],
          compute: (raw) => Math.min(100, Math.max(0, ((raw / 32 - 2.2) / 0.65) * 100)),
        },
        { name: 'temperature_c', at: 4, type: 'u8', bits: [0, 7], add: -40 },
        { name: 'sync_pressed', at: 4, type: 'u8', bits: [7, 1], bool: true },
        { name: 'level_cm', at: 5, type: 'u16le', compute: mopekaLevel },
        { name: 'quality', at: 6, type: 'u8', bits: [6, 2] },
        { name: 'acceleration_x', at: 10, type: 's8' },
        { name: 'acceleration_y', at: 11, type: 's8' },
      ],
    },
    {
      brand: 'GENERIC',
      model: 'Service data',
      modelId: 'ServiceData',
      match: { serviceUuid: '180f', where: [{ length: 1 }] },
      fields: [{ name: 'battery_pct', at: 0, type: 'u8', invalid: [0xff] }],
      priority: -1,
    },
  ],
});
