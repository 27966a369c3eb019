import { bthomeFamily } from './bthome.js';
import { ruuviFamily } from './ruuvi.js';
import { thingy52Family } from './thingy52.js';

/** Every definition file, in the order devices are tried when their index keys tie. */
export const FAMILY_ENTRIES = [
  { file: 'devices/families/thingy52.ts', family: thingy52Family },
  { file: 'devices/families/bthome.ts', family: bthomeFamily },
  { file: 'devices/families/ruuvi.ts', family: ruuviFamily },
] as const;
