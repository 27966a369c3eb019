import { type DeviceDefinition, defineFamily, type FieldSpec } from '../definition.js';

const APPLE = 0x004c;

/** Bytes 4–19 of an iBeacon (after company id, type 0x02 and length 0x15) are the proximity UUID. */
function uuidIs(hex: string): { at: number; equals: number }[] {
  const out: { at: number; equals: number }[] = [];
  for (let i = 0; i < hex.length; i += 2) {
    if (hex[i] !== '?') out.push({ at: 4 + i / 2, equals: Number.parseInt(hex.slice(i, i + 2), 16) });
  }
  return out;
}

const IBEACON = [{ length: 25 }, { at: 2, equals: 0x02 }, { at: 3, equals: 0x15 }] as const;

const ibeaconFields: readonly FieldSpec[] = [
  { name: 'ibeacon_uuid', at: 4, type: 'hex16', identity: true },
  { name: 'ibeacon_major', at: 20, type: 'u16be' },
  { name: 'ibeacon_minor', at: 22, type: 'u16be' },
  { name: 'tx_power_dbm', at: 24, type: 's8', when: [{ at: 24, equals: 0x80, mask: 0x80 }] },
  // Some nRF51822 beacons put the battery voltage (× 10) where the measured power would be.
  { name: 'voltage_v', at: 24, type: 'u8', div: 10, when: [{ at: 24, equals: 0, mask: 0x80 }] },
];

const TILT_COLORS = {
  16: 'red',
  32: 'green',
  48: 'black',
  64: 'purple',
  80: 'orange',
  96: 'blue',
  112: 'yellow',
  128: 'pink',
} as const;

/** Jaalee F525/F51C: an iBeacon frame one byte longer (battery), readings in major/minor. */
function jaalee(): DeviceDefinition {
  return {
    brand: 'Jaalee',
    model: 'TH sensor',
    modelId: 'F525/F51C',
    match: { companyId: APPLE, where: [{ length: 26 }, { at: 2, equals: 0x02 }, { at: 3, equals: 0x15 }] },
    fields: [
      { name: 'temperature_c', at: 20, type: 'u16be', scale: 175, div: 65535, add: -45 },
      { name: 'humidity_pct', at: 22, type: 'u16be', scale: 100, div: 65535 },
      { name: 'battery_pct', at: 25, type: 'u8' },
    ],
    priority: 2,
  };
}

/** A device known by its iBeacon proximity UUID. */
function tracker(
  brand: string,
  model: string,
  modelId: string,
  uuid: string,
  fields: readonly FieldSpec[],
): DeviceDefinition {
  return {
    brand,
    model,
    modelId,
    match: { companyId: APPLE, where: [...IBEACON, ...uuidIs(uuid)] },
    fields,
    priority: 1,
  };
}

/**
 * Apple iBeacon frames (company 0x004C, type 0x02, length 0x15): the generic beacon, and the
 * sensors that ride on it with their own proximity UUID (April Brother ABTemp, Tilt hydrometer)
 * or their own service UUID (Jaalee).
 */
export const ibeaconFamily = defineFamily({
  id: 'ibeacon',
  title: 'iBeacon and sensors on iBeacon frames (company 0x004C)',
  source: 'Apple Proximity Beacon specification; vendor pages of April Brother, Tilt and Jaalee',
  devices: [
    {
      brand: 'GENERIC',
      model: 'iBeacon',
      modelId: 'IBEACON',
      match: { companyId: APPLE, where: IBEACON },
      fields: ibeaconFields,
    },
    {
      brand: 'April Brother',
      model: 'ABTemp',
      modelId: 'ABTemp',
      match: { companyId: APPLE, where: [...IBEACON, ...uuidIs('b5b182c7eab14988aa99b5c1517008d9')] },
      fields: [
        { name: 'ibeacon_uuid', at: 4, type: 'hex16', identity: true },
        { name: 'ibeacon_major', at: 20, type: 'u16be' },
        { name: 'battery_pct', at: 22, type: 'u8' },
        { name: 'temperature_c', at: 23, type: 'u8' },
        { name: 'tx_power_dbm', at: 24, type: 's8' },
      ],
      priority: 1,
    },
    {
      brand: 'Tilt',
      model: 'Brewing Hydro- Thermometer',
      modelId: 'TILT',
      match: { companyId: APPLE, where: [...IBEACON, ...uuidIs('a495bb??c5b14b44b5121370f02d74de')] },
      fields: [
        { name: 'color', at: 7, type: 'u8', enum: TILT_COLORS },
        {
          name: 'temperature_c',
          at: 20,
          type: 'u16be',
          compute: (f) => Math.round(((f - 32) / 1.8) * 100) / 100,
        },
        { name: 'specific_gravity', at: 22, type: 'u16be', div: 1000 },
        { name: 'tx_power_dbm', at: 24, type: 's8', when: [{ at: 24, equals: 0x80, mask: 0x80 }] },
      ],
      priority: 1,
    },
    jaalee(),
    tracker('GENERIC', 'BM2 Battery Monitor', 'BM2', '655f83caae16a10a702e31f30d58dd82', [
      { name: 'battery_pct', at: 24, type: 'u8' },
    ]),
    tracker('GENERIC', 'BM6 Battery Monitor', 'BM6', '3ba29cd9a42c894856badaf2606ef777', [
      { name: 'battery_pct', at: 21, type: 'u8' },
    ]),
    // Theengs' own iBeacon trackers: proximity UUID "Theengs-iBeacon1" / "…2".
    tracker('Theengs', 'iBeacon Tracker', 'TheengsIB01', '546865656e67732d69426561636f6e31', ibeaconFields),
    tracker('Theengs', 'iBeacon Tracker', 'TheengsIB02', '546865656e67732d69426561636f6e32', ibeaconFields),
  ],
});
