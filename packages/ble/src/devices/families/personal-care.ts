import type { ReadingValues } from '../../advertisement.js';
import type { FormatDecodeContext } from '../../format-definition.js';
import { defineFamily } from '../definition.js';

const ORALB_STATES = { 1: 'initialising', 2: 'idle', 3: 'running', 4: 'charging', 115: 'sleeping' } as const;
const ORALB_MODES = {
  0: 'off',
  1: 'daily clean',
  2: 'sensitive',
  3: 'massage',
  4: 'whitening',
  5: 'deep clean',
  6: 'tongue cleaning',
  7: 'turbo',
} as const;

/** NodOn NIU button events (byte 15). */
const NIU_EVENTS = {
  1: 'press',
  2: 'double_press',
  3: 'long_press',
  4: 'long_release',
  5: 'triple_press',
  6: 'quadruple_press',
  7: 'quintuple_press',
} as const;
const NIU_COLORS = {
  2: 'White',
  3: 'TechBlue',
  4: 'CozyGrey',
  5: 'Wazabi',
  6: 'Lagoon',
  7: 'Softberry',
} as const;

/** Mi Band step count: 4 bytes little-endian of the accompanying service data. */
function miBandSteps(values: ReadingValues, context: FormatDecodeContext): void {
  const s = context.advert?.serviceData?.find((x) => x.data.length === 4);
  if (s !== undefined)
    values.steps = s.data[0]! | (s.data[1]! << 8) | (s.data[2]! << 16) | (s.data[3]! * 0x1000000);
}

/** Toothbrushes, scales, buttons, wearables, beacons and tank monitors with fixed layouts. */
export const personalCareFamily = defineFamily({
  id: 'personal_misc',
  title: 'Oral-B, Atomax Skale, NodOn NIU, Mi Band, Mokosmart BeaconX Pro, Otodata (fixed layouts)',
  source: 'vendor layouts as listed by Theengs Decoder and oralb-ble (Home Assistant)',
  devices: [
    {
      brand: 'Oral-B',
      model: 'BT Toothbrush',
      modelId: 'ORALB_BT',
      match: { companyId: 0x00dc, where: [{ minLength: 11 }] },
      fields: [
        { name: 'state', at: 5, type: 'u8', enum: ORALB_STATES },
        { name: 'pressure', at: 6, type: 'u8' },
        { name: 'duration_s', at: 7, type: 'u16be', compute: (raw) => (raw >> 8) * 60 + (raw & 0xff) },
        { name: 'mode', at: 9, type: 'u8', enum: ORALB_MODES },
        {
          name: 'sector',
          at: 10,
          type: 'u8',
          invalid: [0],
          when: [{ at: 10, equals: [1, 2, 3, 4, 5, 6, 7, 8] }],
        },
      ],
    },
    {
      brand: 'Atomax',
      model: 'Skale I/II',
      modelId: 'SKALE',
      match: { companyId: 0x81ef, where: [{ length: 6 }] },
      fields: [{ name: 'mass_g', at: 2, type: 's16le', div: 10 }],
    },
    {
      brand: 'NodOn',
      model: 'NIU smart button',
      modelId: 'NODONNIU',
      match: { serviceUuid: '0000', where: [{ length: 16 }] },
      fields: [
        { name: 'color', at: 10, type: 'u16be', enum: NIU_COLORS },
        { name: 'battery_pct', at: 12, type: 'u8', bits: [0, 7] },
        { name: 'button_event', at: 15, type: 'u8', enum: NIU_EVENTS },
      ],
    },
    {
      brand: 'Xiaomi/Amazfit',
      model: 'Mi Band/Smart Watch',
      modelId: 'MB/SW',
      match: { companyId: 0x0157, where: [{ length: 26 }] },
      fields: [
        { name: 'heart_rate_bpm', at: 5, type: 'u8', invalid: [0xff], when: [{ at: 2, equals: 0x02 }] },
        { name: 'mac', at: 20, type: 'mac', identity: true },
      ],
      complete: miBandSteps,
      valueNames: ['steps'],
    },
    {
      brand: 'Mokosmart',
      model: 'BeaconX Pro',
      modelId: 'MBXPRO',
      match: { serviceUuid: 'feab', where: [{ at: 0, equals: 0x70 }, { minLength: 9 }] },
      fields: [
        { name: 'temperature_c', at: 3, type: 's16be', div: 10 },
        { name: 'humidity_pct', at: 5, type: 'u16be', div: 10 },
        { name: 'voltage_v', at: 7, type: 'u16be', div: 1000 },
      ],
    },
    {
      brand: 'Otodata',
      model: 'Rotarex-compatible Monitor',
      modelId: 'RC1010',
      match: { companyId: 0x03b1, where: [{ length: [21, 24] }] },
      fields: [
        { name: 'level_pct', at: 11, type: 'u16le', div: 100, when: [{ length: 21 }] },
        { name: 'status', at: 13, type: 'u16le', when: [{ length: 21 }] },
        { name: 'serial', at: 9, type: 'u32le', when: [{ length: 24 }] },
        { name: 'model_type', at: 20, type: 'u32le', when: [{ length: 24 }] },
      ],
    },
  ],
});
