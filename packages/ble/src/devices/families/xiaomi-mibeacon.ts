import { decodeMibeacon, MIBEACON_VALUE_NAMES } from '../../formats/mibeacon.js';
import { type DeviceDefinition, defineFamily } from '../definition.js';

/** One MiBeacon product: identified by its product id (bytes 2–3 of the frame, little-endian). */
function product(
  productIds: readonly number[],
  brand: string,
  model: string,
  modelId: string,
): DeviceDefinition {
  return {
    brand,
    model,
    modelId,
    match: {
      serviceUuid: 'fe95',
      where: [
        { at: 2, equals: productIds.map((id) => id & 0xff) },
        { at: 3, equals: productIds.map((id) => id >> 8) },
      ],
    },
    decode: decodeMibeacon,
    valueNames: MIBEACON_VALUE_NAMES,
  };
}

/**
 * Xiaomi MiBeacon (service data 0xFE95): the object stream is the same for every product, so the
 * decode is one hook and the devices are data — product id → identity.
 */
export const xiaomiMibeaconFamily = defineFamily({
  id: 'xiaomi_mibeacon',
  title: 'Xiaomi MiBeacon v2–v5 (service data 0xFE95), plain and bind-key encrypted',
  source: 'Xiaomi MiBeacon object definitions (iot.mi.com), product ids as listed by Theengs Decoder',
  devices: [
    product([0x01aa], 'Xiaomi', 'Mi Jia round', 'LYWSDCGQ'),
    product([0x02df], 'Xiaomi', 'Formaldehyde detector', 'JQJCY01YM'),
    product([0x015d], 'Xiaomi', 'RoPot', 'HHCCPOT002'),
    product([0x0098, 0x03bc], 'Xiaomi/VegTrug', 'MiFlora', 'HHCCJCY01HHCC'),
    product([0x045b], 'Xiaomi/Mijia', 'e-ink Clock', 'LYWSD02'),
    product([0x0347, 0x0b48], 'ClearGrass/Qingping', 'Round TH', 'CGG1'),
    product([0x03dd], 'Xiaomi', 'MiLamp', 'MUE4094RT'),
    product([0x055b], 'Xiaomi', 'TH Sensor', 'LYWSD03MMC'),
    product([0x0576], 'ClearGrass/Qingping', 'Alarm Clock', 'CGD1'),
    product([0x066f], 'Qingping', 'TH Lite', 'CGDK2'),
    {
      ...product([0], 'Xiaomi', 'MiBeacon device', 'MIBEACON'),
      match: { serviceUuid: 'fe95' },
      priority: -1,
    },
  ],
});
