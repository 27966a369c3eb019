import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Advertisement, hexToBytes, type ReadingValue } from '@iotgw/ble';

export const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

export interface GoldenVector {
  name: string;
  source: string;
  advert: Advertisement;
  key?: string;
  keyAddress?: string;
  expect:
    | { ok: true; values: Record<string, ReadingValue>; sequence?: number; address?: string }
    | { ok: false; code: string };
}

interface RawVector extends Omit<GoldenVector, 'advert'> {
  advert: { address: string; manufacturerData?: string; serviceData?: { uuid: string; data: string }[] };
}

function bytes(hex: string): Uint8Array {
  const out = hexToBytes(hex);
  if (out === undefined) throw new Error(`fixture hex is not hex: ${hex}`);
  return out;
}

/** Loads `fixtures/<format>.json` golden vectors with hex turned into bytes. */
export function loadVectors(format: string): GoldenVector[] {
  const raw = JSON.parse(readFileSync(`${fixturesDir}${format}.json`, 'utf8')) as {
    format: string;
    vectors: RawVector[];
  };
  if (raw.format !== format) throw new Error(`fixtures/${format}.json declares format ${raw.format}`);
  return raw.vectors.map((v) => {
    const advert: Advertisement = { address: v.advert.address };
    if (v.advert.manufacturerData !== undefined) advert.manufacturerData = bytes(v.advert.manufacturerData);
    if (v.advert.serviceData !== undefined) {
      advert.serviceData = v.advert.serviceData.map((s) => ({ uuid: s.uuid, data: bytes(s.data) }));
    }
    return { ...v, advert };
  });
}
