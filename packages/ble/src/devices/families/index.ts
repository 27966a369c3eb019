import { bthomeFamily } from './bthome.js';
import { eddystoneSensorsFamily } from './eddystone-sensors.js';
import { energyAndLaundryFamily } from './energy-and-laundry.js';
import { goveeFamily } from './govee.js';
import { homeAndSportFamily } from './home-and-sport.js';
import { ibeaconFamily } from './ibeacon.js';
import { inkbirdFamily } from './inkbird.js';
import { personalCareFamily } from './personal-care.js';
import { plantAndAirFamily } from './plant-and-air.js';
import { presenceFamily } from './presence.js';
import { qingpingFamily } from './qingping.js';
import { ruuviFamily } from './ruuvi.js';
import { sensirionFamily } from './sensirion.js';
import { smallVendorsFamily } from './small-vendors.js';
import { switchbotFamily } from './switchbot.js';
import { thingy52Family } from './thingy52.js';
import { victronFamily } from './victron.js';
import { xiaomiCustomFamily } from './xiaomi-custom.js';
import { xiaomiMibeaconFamily } from './xiaomi-mibeacon.js';
import { xiaomiScalesFamily } from './xiaomi-scales.js';

/** Every definition file, in the order devices are tried when their index keys tie. */
export const FAMILY_ENTRIES = [
  { file: 'devices/families/thingy52.ts', family: thingy52Family },
  { file: 'devices/families/bthome.ts', family: bthomeFamily },
  { file: 'devices/families/ruuvi.ts', family: ruuviFamily },
  { file: 'devices/families/xiaomi-mibeacon.ts', family: xiaomiMibeaconFamily },
  { file: 'devices/families/xiaomi-custom.ts', family: xiaomiCustomFamily },
  { file: 'devices/families/xiaomi-scales.ts', family: xiaomiScalesFamily },
  { file: 'devices/families/qingping.ts', family: qingpingFamily },
  { file: 'devices/families/govee.ts', family: goveeFamily },
  { file: 'devices/families/inkbird.ts', family: inkbirdFamily },
  { file: 'devices/families/ibeacon.ts', family: ibeaconFamily },
  { file: 'devices/families/sensirion.ts', family: sensirionFamily },
  { file: 'devices/families/small-vendors.ts', family: smallVendorsFamily },
  { file: 'devices/families/switchbot.ts', family: switchbotFamily },
  { file: 'devices/families/victron.ts', family: victronFamily },
  { file: 'devices/families/eddystone-sensors.ts', family: eddystoneSensorsFamily },
  { file: 'devices/families/plant-and-air.ts', family: plantAndAirFamily },
  { file: 'devices/families/energy-and-laundry.ts', family: energyAndLaundryFamily },
  { file: 'devices/families/personal-care.ts', family: personalCareFamily },
  { file: 'devices/families/home-and-sport.ts', family: homeAndSportFamily },
  { file: 'devices/families/presence.ts', family: presenceFamily },
] as const;
