import { defineFamily, type FieldSpec } from '../definition.js';

/** 8.8 fixed point as these beacons send it: signed whole part, then hundredths truncated from /256. */
const fixed88 = (raw: number): number => ((raw << 16) >> 24) + Math.trunc(((raw & 0xff) * 100) / 256) / 100;

const TLM_PREFIX = (kind: number) => [
  { at: 0, equals: 0x21 },
  { at: 1, equals: 0x01 },
  { at: 2, equals: kind },
];

const VOLTAGE: FieldSpec = { name: 'voltage_v', at: 3, type: 'u16be', div: 1000 };
const TEMPERATURE: FieldSpec = { name: 'temperature_c', at: 5, type: 'u16be', compute: fixed88 };
const HUMIDITY: FieldSpec = { name: 'humidity_pct', at: 7, type: 'u16be', compute: fixed88 };
const axes = (at: number): FieldSpec[] =>
  (['x', 'y', 'z'] as const).map((axis, i) => ({
    name: `acceleration_${axis}_mg`,
    at: at + 2 * i,
    type: 's16be',
  }));

/**
 * Sensor beacons that send their readings in an Eddystone-UID-style frame on service data 0xFEAA
 * (frame 0x21, version 0x01, a sensor-kind byte): KKM K6P / K9 and BlueCharm beacons.
 */
export const eddystoneSensorsFamily = defineFamily({
  id: 'eddystone_sensors',
  title: 'KKM and BlueCharm sensor beacons (service data 0xFEAA, frame 0x21)',
  source: 'KKM KBeacon "KSensor" advertisement description; layouts as listed by Theengs Decoder',
  devices: [
    {
      brand: 'KKM',
      model: 'Long Range K6P',
      modelId: 'K6P',
      match: { serviceUuid: 'feaa', where: [{ length: 9 }, ...TLM_PREFIX(0x07)] },
      fields: [VOLTAGE, TEMPERATURE, HUMIDITY],
    },
    {
      brand: 'KKM',
      model: 'Tracking K9',
      modelId: 'K9',
      match: { serviceUuid: 'feaa', where: [{ length: 15 }, ...TLM_PREFIX(0x0f)] },
      fields: [VOLTAGE, TEMPERATURE, HUMIDITY, ...axes(9)],
    },
    {
      brand: 'BlueCharm',
      model: 'Beacon 08/04P/021',
      modelId: 'KSensor',
      match: { serviceUuid: 'feaa', where: [{ length: 13 }, ...TLM_PREFIX(0x0b)] },
      fields: [VOLTAGE, TEMPERATURE, ...axes(7)],
    },
  ],
});
