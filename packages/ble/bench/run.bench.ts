// `pnpm bench` for @iotgw/ble: adverts decoded per second per format on one core (Node runs the loop on
// one thread), the full pipeline, and the memory held per tracked device. Runs against the built package.
import { createDecipheriv } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  type Advertisement,
  AdvertPipeline,
  createKeyRing,
  decodeAdvertisement,
  encodeRuuviV5,
} from '@iotgw/ble';
import { SimulatedScanner } from '@iotgw/ble/scanner';
import { definitionFigures, fuzzFigures } from './definitions-figures.ts';
import { type Figure, figure, rate, report } from './harness.ts';
import { legacyThingyDecode } from './legacy-thingy.ts';

const N = 1024; // distinct adverts per format, cycled
const KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const keys = createKeyRing();
const devices = Array.from({ length: 16 }, (_, i) => {
  const address = `A4:C1:38:00:01:${i.toString(16).padStart(2, '0').toUpperCase()}`;
  keys.set(address, KEY);
  return address;
});

function simulated(format: 'thingy52' | 'ruuvi_v5' | 'bthome_v2', key?: string): Advertisement[] {
  const sim = new SimulatedScanner({
    seed: 11,
    devices: devices.map((address) => (key === undefined ? { format, address } : { format, address, key })),
  });
  return Array.from({ length: N }, () => sim.next());
}

const thingy = simulated('thingy52');
const ruuvi = simulated('ruuvi_v5');
const bthome = simulated('bthome_v2');
const bthomeEnc = simulated('bthome_v2', KEY);
const mask = N - 1;
const cond = `one core, Node ${process.version}, ${N} distinct adverts cycled, best of 3 × 0.7 s`;

for (const [name, list, opts] of [
  ['thingy52', thingy, {}],
  ['ruuvi_v5', ruuvi, {}],
  ['bthome_v2', bthome, {}],
  ['bthome_v2 encrypted', bthomeEnc, { keys }],
] as const) {
  const r = decodeAdvertisement(list[0]!, opts);
  if (!r.ok) throw new Error(`bench input for ${name} does not decode: ${r.code} ${r.detail}`);
}

const figures: Figure[] = [];

const legacy = rate((i) => legacyThingyDecode(thingy[i & mask]!.manufacturerData!));
figures.push(
  figure(
    'thingy52 decode',
    rate((i) => decodeAdvertisement(thingy[i & mask]!)),
    'adverts/s',
    cond,
    {
      baseline: { figure: 'legacy rules ported naively (DataView + Map)', value: legacy },
      target: 1_000_000,
    },
  ),
);
figures.push(
  figure(
    'ruuvi_v5 decode',
    rate((i) => decodeAdvertisement(ruuvi[i & mask]!)),
    'adverts/s',
    cond,
    { target: 1_000_000 },
  ),
);
figures.push(
  figure(
    'bthome_v2 plain decode',
    rate((i) => decodeAdvertisement(bthome[i & mask]!)),
    'adverts/s',
    cond,
  ),
);

figures.push(...definitionFigures([...thingy.slice(0, N / 2), ...ruuvi.slice(0, N / 2)], cond));

// Raw node:crypto AES-128-CCM decipher of the same packets: the floor for encrypted BTHome.
const keyObject = keys.keyObject(devices[0]!)!;
const packets = bthomeEnc.map((a) => a.serviceData![0]!.data);
const nonce = new Uint8Array(13);
const rawCcm = rate((i) => {
  const data = packets[i & mask]!;
  const d = createDecipheriv('aes-128-ccm', keyObject, nonce, { authTagLength: 4 });
  d.setAuthTag(data.subarray(data.length - 4));
  return d.update(data.subarray(1, data.length - 8));
});
figures.push(
  figure(
    'bthome_v2 encrypted decode',
    rate((i) => decodeAdvertisement(bthomeEnc[i & mask]!, { keys })),
    'adverts/s',
    `${cond}, AES-128-CCM composed on one cached node:crypto AES-ECB cipher per key`,
    {
      baseline: { figure: 'node:crypto AES-128-CCM decipher alone', value: rawCcm },
      target: 200_000,
    },
  ),
);
const plainMapKeys = new Map([...keys].map(([k, v]) => [k, v] as const));
figures.push(
  figure(
    'bthome_v2 encrypted decode, plain Map keys',
    rate((i) => decodeAdvertisement(bthomeEnc[i & mask]!, { keys: plainMapKeys })),
    'adverts/s',
    `${cond}, a KeyObject created per packet`,
    {
      baseline: { figure: 'bthome_v2 encrypted decode (KeyRing)', value: figures.at(-1)!.value },
    },
  ),
);

// Full edge path on a realistic mix: every measurement sent 3 times (channels 37/38/39), 1 in 4
// adverts from an unrelated device. Fresh adverts (sequences keep increasing), so nothing is a replay.
const mixSim = new SimulatedScanner({
  seed: 5,
  devices: [
    ...devices
      .slice(0, 4)
      .map((address) => ({ format: 'thingy52' as const, address: address.replace('A4', 'F4') })),
    ...devices
      .slice(4, 8)
      .map((address) => ({ format: 'ruuvi_v5' as const, address: address.replace('A4', 'C5') })),
    ...devices.slice(8, 12).map((address) => ({ format: 'bthome_v2' as const, address })),
    ...devices.slice(12, 16).map((address) => ({ format: 'bthome_v2' as const, address, key: KEY })),
  ],
});
const MIX = 60_000;
const mix: Advertisement[] = [];
while (mix.length < MIX) {
  const adv = mixSim.next();
  mix.push(adv, adv, adv, {
    address: 'AA:BB:CC:DD:EE:FF',
    manufacturerData: Uint8Array.of(0x4c, 0x00, 0x10, 0x05, 0x0b, 0x1c),
  });
}
const keyRecord = Object.fromEntries(devices.slice(12).map((a) => [a, KEY]));
let pipeline = new AdvertPipeline({ keys: keyRecord });
const decodeOnly = rate((i) => decodeAdvertisement(mix[i % MIX]!, { keys }), 700, 1);
// A new pipeline per pass over the mix, so its replay guard never sees a counter twice.
const pipelineRate = rate(
  (i) => {
    if (i % MIX === 0) pipeline = new AdvertPipeline({ keys: keyRecord });
    return pipeline.process(mix[i % MIX]!);
  },
  700,
  3,
);
figures.push(
  figure(
    'pipeline filter → decode → dedup (mixed)',
    pipelineRate,
    'adverts/s',
    `${cond.split(',')[0]}, 4 formats incl. encrypted BTHome, 3 repeats per packet, 25 % foreign adverts`,
    {
      baseline: { figure: 'decode only, same mix', value: decodeOnly },
    },
  ),
);

// Memory per tracked device (de-duplication state), with a forced GC around the measurement.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const ruuviPayload = encodeRuuviV5({ temperature_c: 20, measurement_sequence: 1 });
function heapAfter(devicesTracked: number): number {
  const p = new AdvertPipeline({ maxDevices: devicesTracked });
  for (let i = 0; i < devicesTracked; i++) {
    const hex = i.toString(16).padStart(6, '0');
    p.process({
      address: `C5:1A:2B:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`,
      manufacturerData: ruuviPayload,
    });
  }
  gc();
  const used = process.memoryUsage().heapUsed;
  if (p.trackedDevices !== devicesTracked) throw new Error('pipeline did not track every device');
  return used;
}
gc();
const empty = process.memoryUsage().heapUsed;
const perDevice = (heapAfter(100_000) - empty) / 100_000;
figures.push(
  figure(
    'pipeline memory per tracked device',
    perDevice,
    'bytes',
    '100,000 distinct Ruuvi addresses, maxDevices 100,000, heap after forced GC',
  ),
);

figures.push(...fuzzFigures());

report(figures);
