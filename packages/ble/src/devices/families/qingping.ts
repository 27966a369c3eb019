import { decodeQingping, QINGPING_VALUE_NAMES } from '../../formats/qingping.js';
import { type DeviceDefinition, defineFamily } from '../definition.js';

function device(types: readonly number[], brand: string, model: string, modelId: string): DeviceDefinition {
  return {
    brand,
    model,
    modelId,
    match: { serviceUuid: 'fdcd', where: [{ at: 1, equals: types }] },
    decode: decodeQingping,
    valueNames: QINGPING_VALUE_NAMES,
  };
}

/** Qingping / ClearGrass devices on their own advert (service data 0xFDCD); the device type is byte 1. */
export const qingpingFamily = defineFamily({
  id: 'qingping',
  title: 'Qingping / ClearGrass (service data 0xFDCD)',
  source: 'Qingping BLE advertising objects as decoded by qingping-ble (Home Assistant) and Theengs Decoder',
  devices: [
    device([0x07, 0x16], 'ClearGrass/Qingping', 'Round TH', 'CGG1'),
    device([0x0c, 0x1e], 'ClearGrass/Qingping', 'Alarm Clock', 'CGC1/CGD1'),
    device([0x10], 'Qingping', 'TH Lite', 'CGDK2'),
    device([0x0e, 0x24], 'Qingping', 'Air Monitor Lite', 'CGDN1'),
    device([0x09], 'ClearGrass/Qingping', 'Weather Station', 'CGP1W'),
    device([0x18], 'ClearGrass/Qingping', 'Barometer Pro', 'CGP23W'),
    device([0x12], 'Qingping', 'Motion & Light', 'CGPR1'),
    {
      brand: 'Qingping',
      model: 'Contact Sensor',
      modelId: 'CGH1',
      match: { serviceUuid: 'fdcd', where: [{ at: 1, equals: 0x04 }] },
      fields: [
        { name: 'mac', at: 2, type: 'mac_reversed', identity: true },
        { name: 'opening_open', at: 10, type: 'u8', compute: (raw) => raw === 0, when: [{ length: 14 }] },
        {
          name: 'opening_open',
          at: 16,
          type: 'u8',
          bits: [0, 1],
          compute: (raw) => raw === 0,
          when: [{ length: 17 }],
        },
      ],
    },
  ],
});
