import { BTHOME_VALUE_NAMES } from '../../formats/bthome-objects.js';
import { BTHOME_SERVICE_UUID, decodeBthomeV2 } from '../../formats/bthome-v2.js';
import { defineFamily } from '../definition.js';

/** BTHome v2: an object stream, optionally AES-CCM encrypted, so a code hook. */
export const bthomeFamily = defineFamily({
  id: 'bthome_v2',
  title: 'BTHome v2 (service data UUID 0xFCD2), plain and AES-CCM encrypted',
  source: 'bthome.io format specification v2',
  devices: [
    {
      brand: 'BTHome',
      model: 'BTHome v2 sensor',
      modelId: 'BTHOME_V2',
      match: { serviceUuid: BTHOME_SERVICE_UUID },
      decode: decodeBthomeV2,
      valueNames: BTHOME_VALUE_NAMES,
      sequenceValue: 'packet_id',
    },
  ],
});
