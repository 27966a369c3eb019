import type { ReadingValue, ReadingValues } from '../../advertisement.js';
import type { FormatDecodeContext } from '../../format-definition.js';
import { type DeviceDefinition, defineFamily, type FieldSpec } from '../definition.js';

/**
 * SwitchBot temperature: a decimal nibble and a byte whose bit 7 set means "above zero" and whose
 * low 7 bits are the whole degrees. `raw` is the 16-bit big-endian (decimal byte, degrees byte).
 */
const temperature = (raw: number): ReadingValue => {
  const t = (raw & 0x7f) + ((raw >> 8) & 0x0f) / 10;
  return raw & 0x80 ? t : -t;
};

const METER_SERVICE: readonly FieldSpec[] = [
  { name: 'battery_pct', at: 2, type: 'u8', bits: [0, 7] },
  { name: 'temperature_c', at: 3, type: 'u16be', compute: temperature },
  { name: 'humidity_pct', at: 5, type: 'u8', bits: [0, 7] },
];

/** Manufacturer data (company 0x0969): MAC, then the same temperature/humidity bytes from offset 10. */
const METER_MANUFACTURER: readonly FieldSpec[] = [
  { name: 'mac', at: 2, type: 'mac', identity: true },
  { name: 'temperature_c', at: 10, type: 'u16be', compute: temperature },
  { name: 'humidity_pct', at: 12, type: 'u8', bits: [0, 7] },
];

function meterService(serviceUuid: string, type: number): DeviceDefinition {
  return {
    brand: 'SwitchBot',
    model: 'Meter (Plus)',
    modelId: 'THX1/W230150X',
    match: { serviceUuid, where: [{ length: 6 }, { at: 0, equals: type, mask: 0x7f }] },
    fields: METER_SERVICE,
  };
}

/** The outdoor meter keeps its battery in the 3-byte service data (0xFD3D, type 'w'). */
function serviceBattery(values: ReadingValues, context: FormatDecodeContext): void {
  for (const s of context.advert?.serviceData ?? []) {
    if (s.data.length === 3 && s.data[0] === 0x77) values.battery_pct = s.data[2]! & 0x7f;
  }
}

/**
 * SwitchBot meters (service data 0xFD3D / legacy 0x0D00, or manufacturer data 0x0969), as in
 * SwitchBot's BLE open API (github.com/OpenWonderLabs/SwitchBotAPI-BLE).
 */
export const switchbotFamily = defineFamily({
  id: 'switchbot',
  title: 'SwitchBot meters (service data 0xFD3D/0x0D00, company 0x0969)',
  source: 'SwitchBot BLE open API (OpenWonderLabs/SwitchBotAPI-BLE)',
  devices: [
    meterService('fd3d', 0x54),
    meterService('fd3d', 0x69),
    meterService('0d00', 0x54),
    meterService('0d00', 0x69),
    {
      brand: 'SwitchBot',
      model: 'Meter (Plus)',
      modelId: 'THX1/W230150X',
      match: { companyId: 0x0969, name: { prefix: 'WoSensorTH' }, where: [{ length: 13 }] },
      fields: METER_MANUFACTURER,
    },
    {
      brand: 'SwitchBot',
      model: 'Outdoor Meter',
      modelId: 'W340001X',
      match: { companyId: 0x0969, where: [{ length: 14 }] },
      fields: METER_MANUFACTURER,
      complete: serviceBattery,
      valueNames: ['battery_pct'],
      priority: -1,
    },
    {
      brand: 'SwitchBot',
      model: 'Outdoor Meter',
      modelId: 'W340001X',
      match: { serviceUuid: 'fd3d', where: [{ length: 3 }, { at: 0, equals: 0x77 }] },
      fields: [{ name: 'battery_pct', at: 2, type: 'u8', bits: [0, 7] }],
    },
  ],
});
