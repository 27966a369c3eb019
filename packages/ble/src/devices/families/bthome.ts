import { BTHOME_VALUE_NAMES } from '../../formats/bthome-objects.js';
import { BTHOME_SERVICE_UUID, decodeBthomeV2 } from '../../formats/bthome-v2.js';
import { type DeviceDefinition, defineFamily } from '../definition.js';

/** A BTHome device known by its local name (Shelly BLU, April Brother): same decoder, its identity. */
function named(
  prefix: string,
  brand: string,
  model: string,
  modelId: string,
  priority = 1,
): DeviceDefinition {
  return {
    brand,
    model,
    modelId,
    match: { serviceUuid: BTHOME_SERVICE_UUID, name: { prefix } },
    decode: decodeBthomeV2,
    valueNames: BTHOME_VALUE_NAMES,
    sequenceValue: 'packet_id',
    priority,
  };
}

/** BTHome v2: an object stream, optionally AES-CCM encrypted, so a code hook. */
export const bthomeFamily = defineFamily({
  id: 'bthome_v2',
  title: 'BTHome v2 (service data UUID 0xFCD2), plain and AES-CCM encrypted',
  source: 'bthome.io format specification v2; Shelly BLU device names from Shelly documentation',
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
    named('SBBT-002C', 'Shelly', 'ShellyBLU Button1', 'SBBT-002C', 2),
    named('SBBT-', 'Shelly', 'ShellyBLU Switch4', 'SBBT-004CEU/US'),
    named('SBDW-002C', 'Shelly', 'ShellyBLU Door/Window', 'SBDW-002C'),
    named('SBMO-003Z', 'Shelly', 'ShellyBLU Motion', 'SBMO-003Z'),
    named('SBHT-003C', 'Shelly', 'ShellyBLU H&T', 'SBHT-003C'),
    named('asensor_', 'April Brother', 'N07', 'ABN07'),
  ],
});
