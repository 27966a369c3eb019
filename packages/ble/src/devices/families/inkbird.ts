import { type DeviceDefinition, defineFamily, type FieldSpec } from '../definition.js';

/** Probe n (1-based): int16 LE °C × 10 at 8 + 2n; 0xFFF6 (−10) means no probe, 0xFFFF unset. */
const probe = (n: number): FieldSpec => ({
  name: `temperature_c_${n}`,
  at: 8 + 2 * n,
  type: 's16le',
  div: 10,
  invalid: [-10, -1],
});

function ibbq(probes: number, modelId: string, model: string, brand = 'Inkbird'): DeviceDefinition[] {
  const fields = [...Array(probes).keys()].map((i) => probe(i + 1));
  return [
    {
      brand,
      model,
      modelId,
      match: {
        companyId: 0x0000,
        where: [{ length: 10 + 2 * probes }, { at: 2, equals: 0 }, { at: 3, equals: 0 }],
      },
      fields: [{ name: 'mac', at: 4, type: 'mac', identity: true }, ...fields],
    },
    {
      brand,
      model,
      modelId,
      match: {
        companyId: 0x0001,
        where: [{ length: 10 + 2 * probes }, { at: 2, equals: 0 }, { at: 3, equals: 0 }],
      },
      fields: [{ name: 'mac', at: 4, type: 'mac_reversed', identity: true }, ...fields],
    },
  ];
}

/**
 * Inkbird: IBS-TH1/TH2/P01B put their reading where the company id would be (identified by the
 * local name `sps`/`tps` and 9 bytes); the iBBQ grills send the MAC and one int16 LE per probe
 * (°C × 10; 0xFFF6 = no probe).
 */
export const inkbirdFamily = defineFamily({
  id: 'inkbird',
  title: 'Inkbird thermometers and iBBQ grill probes (manufacturer data)',
  source: 'Inkbird advert layouts as decoded by inkbird-ble (Home Assistant) and Theengs Decoder',
  devices: [
    ...(['sps', 'tps'] as const).map(
      (name): DeviceDefinition => ({
        brand: 'Inkbird',
        model: 'T(H) Sensor',
        modelId: 'IBS-TH1/TH2/P01B/ITH-12S',
        match: { name, where: [{ length: 9 }] },
        fields: [
          { name: 'temperature_c', at: 0, type: 's16le', div: 100 },
          { name: 'humidity_pct', at: 2, type: 'u16le', div: 100, invalid: [0, 0xffff] },
          { name: 'external_probe', at: 4, type: 'u8', bool: true },
          { name: 'battery_pct', at: 7, type: 'u8', when: [{ at: 7, notEquals: 0xe0, mask: 0xe0 }] },
        ],
      }),
    ),
    ...ibbq(2, 'IBT-2X(S)', 'iBBQ'),
    ...ibbq(4, 'IBT-4X(S/C)', 'iBBQ'),
    ...ibbq(6, 'IBT-6XS/SOLIS-6', 'iBBQ/SOLIS6', 'Inkbird/Tenergy'),
  ],
});
