import { type DeviceDefinition, defineFamily } from '../definition.js';

const thermoPro = (prefix: string): DeviceDefinition => ({
  brand: 'ThermoPro',
  model: 'TH Sensor',
  modelId: 'TP35X/393',
  match: { name: { prefix }, where: [{ minLength: 6 }, { at: 0, equals: 0xc2 }] },
  fields: [
    { name: 'temperature_c', at: 1, type: 's16le', div: 10 },
    { name: 'humidity_pct', at: 3, type: 'u8' },
  ],
});

const oria = (modelId: 'T201' | 'T301'): DeviceDefinition => ({
  brand: 'Oria',
  model: 'TH Sensor',
  modelId,
  match: { name: { prefix: modelId }, where: [modelId === 'T301' ? { length: 19 } : { minLength: 19 }] },
  fields: [
    { name: 'mac', at: 4, type: 'mac', identity: true },
    { name: 'temperature_c', at: 12, type: 's16be', div: 100 },
    { name: 'humidity_pct', at: 14, type: 'u16be', div: 100 },
    { name: 'battery_pct', at: 16, type: 'u8' },
  ],
});

/** Thermometers of smaller vendors, each a fixed layout in manufacturer data. */
export const smallVendorsFamily = defineFamily({
  id: 'th_sensors',
  title: 'ThermoPro, Oria, ThermoBeacon and Blue Maestro thermo-hygrometers (manufacturer data)',
  source:
    'layouts as decoded by thermopro-ble, thermobeacon-ble (Home Assistant) and Theengs Decoder; Blue Maestro API doc',
  devices: [
    ...['TP357', 'TP358', 'TP359', 'TP393'].map(thermoPro),
    oria('T201'),
    oria('T301'),
    {
      brand: 'GENERIC',
      model: 'ThermoBeacon',
      modelId: 'WS02/WS08',
      match: { companyId: [0x0010, 0x0011, 0x0015, 0x0018, 0x001b], where: [{ length: [20, 22] }] },
      fields: [
        { name: 'mac', at: 4, type: 'mac_reversed', identity: true },
        { name: 'voltage_v', at: 10, type: 'u16le', div: 1000, when: [{ length: 20 }] },
        { name: 'temperature_c', at: 12, type: 's16le', div: 16, when: [{ length: 20 }] },
        { name: 'humidity_pct', at: 14, type: 's16le', div: 16, when: [{ length: 20 }] },
        { name: 'uptime_s', at: 16, type: 'u32le', when: [{ length: 20 }] },
        { name: 'temperature_max_c', at: 10, type: 's16le', div: 16, when: [{ length: 22 }] },
        { name: 'temperature_min_c', at: 16, type: 's16le', div: 16, when: [{ length: 22 }] },
      ],
    },
    {
      brand: 'Blue Maestro',
      model: 'Tempo Disc',
      modelId: 'TD1in1',
      match: { companyId: 0x0133, where: [{ at: 2, equals: 0x0d }, { length: 12 }] },
      fields: [
        { name: 'battery_pct', at: 3, type: 'u8' },
        { name: 'temperature_c', at: 8, type: 's16be', div: 10 },
      ],
    },
    {
      brand: 'Blue Maestro',
      model: 'Tempo Disc',
      modelId: 'TD3in1',
      match: { companyId: 0x0133, where: [{ at: 2, equals: [0x16, 0x17] }, { length: 16 }] },
      fields: [
        { name: 'battery_pct', at: 3, type: 'u8' },
        { name: 'temperature_c', at: 8, type: 's16be', div: 10 },
        { name: 'humidity_pct', at: 10, type: 's16be', div: 10 },
        { name: 'dew_point_c', at: 12, type: 's16be', div: 10 },
      ],
    },
    {
      brand: 'Blue Maestro',
      model: 'Tempo Disc',
      modelId: 'TD4in1',
      match: { companyId: 0x0133, where: [{ at: 2, equals: 0x1b }, { length: 16 }] },
      fields: [
        { name: 'battery_pct', at: 3, type: 'u8' },
        { name: 'temperature_c', at: 8, type: 's16be', div: 10 },
        { name: 'humidity_pct', at: 10, type: 's16be', div: 10 },
        { name: 'pressure_hpa', at: 12, type: 'u16be', div: 10 },
      ],
    },
  ],
});
