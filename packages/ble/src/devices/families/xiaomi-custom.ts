import { type DeviceDefinition, defineFamily, type FieldSpec } from '../definition.js';

/** ATC1441 custom firmware (service data 0x181A, 13 bytes): MAC as shown, big-endian values. */
const ATC_FIELDS: readonly FieldSpec[] = [
  { name: 'mac', at: 0, type: 'mac', identity: true },
  { name: 'temperature_c', at: 6, type: 's16be', div: 10 },
  { name: 'humidity_pct', at: 8, type: 'u8' },
  { name: 'battery_pct', at: 9, type: 'u8' },
  { name: 'voltage_v', at: 10, type: 'u16be', div: 1000 },
  { name: 'packet_id', at: 12, type: 'u8' },
];

/** pvvx custom firmware (service data 0x181A, 15 bytes): MAC reversed, little-endian values. */
const PVVX_FIELDS: readonly FieldSpec[] = [
  { name: 'mac', at: 0, type: 'mac_reversed', identity: true },
  { name: 'temperature_c', at: 6, type: 's16le', div: 100 },
  { name: 'humidity_pct', at: 8, type: 'u16le', div: 100 },
  { name: 'voltage_v', at: 10, type: 'u16le', div: 1000 },
  { name: 'battery_pct', at: 12, type: 'u8' },
  { name: 'packet_id', at: 13, type: 'u8' },
];

function custom(
  firmware: 'ATC1441' | 'PVVX',
  model: string,
  modelId: string,
  where: DeviceDefinition['match']['where'],
  name?: { prefix: string },
): DeviceDefinition {
  return {
    brand: model.startsWith('Round') || model.startsWith('TH Lite') ? 'ClearGrass/Qingping' : 'Xiaomi',
    model,
    modelId,
    match: {
      serviceUuid: '181a',
      ...(name ? { name } : {}),
      where: [{ length: firmware === 'ATC1441' ? 13 : 15 }, ...(where ?? [])],
    },
    fields: firmware === 'ATC1441' ? ATC_FIELDS : PVVX_FIELDS,
    sequenceValue: 'packet_id',
    priority: name ? 1 : 0,
  };
}

/**
 * Xiaomi/Qingping thermometers on the ATC1441 and pvvx custom firmwares (github.com/atc1441 and
 * github.com/pvvx ATC_MiThermometer README: advertising formats). The model comes from the local
 * name (CGG…, CGDK…) or the Telink OUI A4:C1:38 in the MAC.
 */
export const xiaomiCustomFamily = defineFamily({
  id: 'xiaomi_custom',
  title: 'Xiaomi/Qingping thermometers, ATC1441 and pvvx custom firmware (service data 0x181A)',
  source: 'pvvx/ATC_MiThermometer README (custom and atc1441 formats)',
  devices: [
    custom('ATC1441', 'Round TH', 'CGG1_ATC1441', [], { prefix: 'CGG' }),
    custom('PVVX', 'Round TH', 'CGG1_PVVX', [], { prefix: 'CGG' }),
    custom('ATC1441', 'TH Lite', 'CGDK2_ATC1441', [], { prefix: 'CGDK' }),
    custom('PVVX', 'TH Lite', 'CGDK2_PVVX', [], { prefix: 'CGDK' }),
    custom('ATC1441', 'TH Sensor', 'LYWSD03MMC/MJWSD05MMC_ATC', [
      { at: 0, equals: 0xa4 },
      { at: 1, equals: 0xc1 },
      { at: 2, equals: 0x38 },
    ]),
    custom('PVVX', 'TH Sensor', 'LYWSD03MMC/MJWSD05MMC_PVVX', [
      { at: 3, equals: 0x38 },
      { at: 4, equals: 0xc1 },
      { at: 5, equals: 0xa4 },
    ]),
    {
      brand: 'Xiaomi',
      model: 'TH Sensor',
      modelId: 'LYWSD03MMC/MJWSD05MMC_PVVX_DECR',
      match: { serviceUuid: '181a', where: [{ length: 6 }] },
      fields: [
        { name: 'temperature_c', at: 0, type: 's16le', div: 100 },
        { name: 'humidity_pct', at: 2, type: 'u16le', div: 100 },
        { name: 'battery_pct', at: 4, type: 'u8' },
      ],
    },
  ],
});
