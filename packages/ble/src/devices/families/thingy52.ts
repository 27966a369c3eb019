import { decodeThingy52Payload, THINGY52_COMPANY_ID, THINGY52_VALUE_NAMES } from '../../formats/thingy52.js';
import { defineFamily } from '../definition.js';

/** Nordic Thingy:52 running the legacy custom firmware: a key/value stream, so a code hook. */
export const thingy52Family = defineFamily({
  id: 'thingy52',
  title: 'Nordic Thingy:52, custom firmware (company 0xFFFF)',
  source: 'the legacy gateway (gateway.py) key/value rules, see docs/ble.md',
  devices: [
    {
      brand: 'Nordic Semiconductor',
      model: 'Thingy:52 (custom firmware)',
      modelId: 'THINGY52',
      match: { companyId: THINGY52_COMPANY_ID },
      decode: (data) => decodeThingy52Payload(data.subarray(2)),
      valueNames: THINGY52_VALUE_NAMES,
    },
  ],
});
