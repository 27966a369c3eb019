// Figures for the definition-driven decoder (issue 17): identification + decode with every definition
// loaded, against today's three-format decoder in the same run, and a 1,000,000-advert fuzz.
import { readFileSync } from 'node:fs';
import { type Advertisement, decodeAdvertisement, hexToBytes } from '@iotgw/ble';
import { baselineDecode } from './baseline-decoder.ts';
import { type Figure, figure, rate } from './harness.ts';

interface Recorded {
  name?: string;
  serviceUuid?: string;
  manufacturerData?: string;
  serviceData?: string;
}

/** Theengs Decoder's recorded adverts (fixtures/theengs), as adverts. */
function theengsAdverts(): Advertisement[] {
  const file = new URL('../fixtures/theengs/test-ble-vectors.json', import.meta.url);
  const { vectors } = JSON.parse(readFileSync(file, 'utf8')) as { vectors: Recorded[] };
  return vectors.map((v) => {
    const adv: Advertisement = { address: 'A4:C1:38:00:00:01' };
    if (v.name !== undefined) adv.localName = v.name;
    const md = v.manufacturerData && hexToBytes(v.manufacturerData);
    if (md) adv.manufacturerData = md;
    const sd = v.serviceData && hexToBytes(v.serviceData);
    if (sd) adv.serviceData = [{ uuid: (v.serviceUuid ?? 'fe95').replace(/^0x/, ''), data: sd }];
    return adv;
  });
}

export function definitionFigures(plainLegacy: Advertisement[], cond: string): Figure[] {
  const figures: Figure[] = [];
  const mask = plainLegacy.length - 1;
  const baseline = rate((i) => baselineDecode(plainLegacy[i & mask]!));
  figures.push(
    figure(
      'thingy52 + ruuvi_v5 decode, every definition loaded',
      rate((i) => decodeAdvertisement(plainLegacy[i & mask]!)),
      'adverts/s',
      cond,
      {
        baseline: { figure: "today's three-format decoder, same adverts", value: baseline },
        target: 1_000_000,
      },
    ),
  );
  // Recorded adverts (Theengs Decoder's suite) that decode without a key: identification by company id,
  // service UUID and local name across every family. "Plain" = decoded by field definitions only (no
  // object-stream or crypto hook), the 1,000,000/s target; the full mix is reported beside it.
  const HOOKED = new Set(['bthome_v2', 'xiaomi_mibeacon', 'qingping', 'thingy52', 'victron']);
  const all = theengsAdverts().filter((a) => decodeAdvertisement(a).ok);
  const plain = all.filter((a) => {
    const r = decodeAdvertisement(a);
    return r.ok && !HOOKED.has(r.format);
  });
  figures.push(
    figure(
      `identification + decode, ${plain.length} recorded plain-format adverts, every definition loaded`,
      rate((i) => decodeAdvertisement(plain[i % plain.length]!)),
      'adverts/s',
      `${cond.split(',')[0]}, Theengs Decoder's recorded adverts decoded by field definitions`,
      {
        baseline: { figure: "today's three-format decoder (thingy52 + ruuvi_v5)", value: baseline },
        target: 1_000_000,
      },
    ),
  );
  figures.push(
    figure(
      `identification + decode, ${all.length} recorded adverts of every family`,
      rate((i) => decodeAdvertisement(all[i % all.length]!)),
      'adverts/s',
      `${cond.split(',')[0]}, incl. BTHome/MiBeacon/Qingping object streams`,
      { baseline: { figure: "today's three-format decoder (thingy52 + ruuvi_v5)", value: baseline } },
    ),
  );
  return figures;
}

/** xorshift32 */
function xorshift(seed: number): () => number {
  let x = seed | 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** Mutates one recorded advert: flipped bits, truncation, extension, or another local name. */
export function mutate(base: Advertisement, next: () => number): Advertisement {
  const adv: Advertisement = { address: base.address };
  const flip = (bytes: Uint8Array): Uint8Array => {
    const r = next() % 4;
    let out = bytes.slice();
    if (r === 1) out = out.slice(0, next() % (out.length + 1));
    else if (r === 2)
      out = Uint8Array.from([...out, ...Array.from({ length: 1 + (next() % 8) }, () => next() & 0xff)]);
    for (let k = next() % 4; k > 0 && out.length > 0; k--) out[next() % out.length]! ^= 1 << (next() % 8);
    return out;
  };
  if (base.localName !== undefined)
    adv.localName = next() % 8 === 0 ? base.localName.slice(0, next() % 8) : base.localName;
  if (base.manufacturerData) adv.manufacturerData = flip(base.manufacturerData);
  if (base.serviceData) adv.serviceData = base.serviceData.map((s) => ({ uuid: s.uuid, data: flip(s.data) }));
  return adv;
}

/** 1,000,000 random and mutated adverts against every definition: no throw, no internal error, heap flat. */
export function fuzzFigures(): Figure[] {
  const bases = theengsAdverts();
  const next = xorshift(17);
  let internal = 0;
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  for (let i = 0; i < 1_000_000; i++) {
    let adv: Advertisement;
    if (i % 4 === 0) {
      const md = new Uint8Array(next() % 40);
      for (let k = 0; k < md.length; k++) md[k] = next() & 0xff;
      adv = { address: 'AA:BB:CC:DD:EE:FF', manufacturerData: md };
    } else adv = mutate(bases[next() % bases.length]!, next);
    const r = decodeAdvertisement(adv);
    if (!r.ok && r.code === 'internal_error') internal++;
  }
  const ms = performance.now() - started;
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  if (internal > 0) throw new Error(`fuzz: ${internal} adverts hit a decoder error`);
  return [
    figure(
      'fuzz: 1,000,000 random + mutated adverts, every definition',
      1_000_000 / (ms / 1000),
      'adverts/s',
      `0 internal errors; heap growth ${Math.round(heapGrowth / 1024)} KiB (no state kept per advert)`,
    ),
  ];
}
