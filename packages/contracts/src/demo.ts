// The contracts demo: what `pnpm start` shows until the apps exist. Builds each contract's topic from
// example parameters, round-trips an example payload, and shows the errors a bad input gets.

import { allContracts } from './all-contracts.js';
import { isoTimestamp } from './contracts/common-schemas.js';
import { meterData } from './contracts/meter-data.js';
import { meterProvisioning } from './contracts/meter-provisioning.js';
import { thingyReading } from './contracts/thingy-reading.js';

const now = isoTimestamp(new Date());
console.log('iotgw topic contracts\n');
for (const c of allContracts)
  console.log(`  ${c.name.padEnd(20)} ${c.template.padEnd(52)} filter ${c.filter}`);

const topic = thingyReading.build({ gatewayId: 'gw-01', mac: 'F4:3C:21:0A:9B:11' });
const payload = thingyReading.encode({
  timestamp: now,
  temp: -0.5,
  humidity: 41,
  window_open: false,
  battery: 87,
});
console.log(`\npublish ${topic} ${payload.toString()}`);
const m = meterData.build({ gatewayId: '706462169', manufacturerKey: 'kam', deviceId: '32666857' });
console.log(
  `publish ${m} ${JSON.stringify({ timestamp: now, id: '32666857', manufacturer: 'KAM', driver: 'omnipower', total_energy_consumption_kwh: 2.06 })}`,
);

console.log('\nbad inputs:');
try {
  thingyReading.build({ gatewayId: 'gw-01', mac: 'AA/BB' });
} catch (e) {
  console.log(`  ${(e as Error).message}`);
}
const bad = meterProvisioning.parse('[{"DeviceId": 32666857}]');
if (!bad.ok) console.log(`  ${bad.error.message}`);
