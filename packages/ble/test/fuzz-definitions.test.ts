import {
  type Advertisement,
  createKeyRing,
  createReplayGuard,
  decodeAdvertisement,
  FORMAT_IDS,
  hexToBytes,
} from '@iotgw/ble';
import { describe, expect, it } from 'vitest';
import { loadTheengsVectors, toAdvert } from './theengs/theengs-compare.js';

/** xorshift32: cheap deterministic bytes. */
function xorshift(seed: number): () => number {
  let x = seed | 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

function mutateBytes(bytes: Uint8Array, next: () => number): Uint8Array {
  const r = next() % 4;
  let out = bytes.slice();
  if (r === 1) out = out.slice(0, next() % (out.length + 1));
  else if (r === 2)
    out = Uint8Array.from([...out, ...Array.from({ length: 1 + (next() % 8) }, () => next() & 0xff)]);
  for (let k = next() % 4; k > 0 && out.length > 0; k--) out[next() % out.length]! ^= 1 << (next() % 8);
  return out;
}

function mutate(base: Advertisement, next: () => number): Advertisement {
  const adv: Advertisement = { address: next() % 16 === 0 ? 'not-a-mac' : base.address };
  if (base.localName !== undefined)
    adv.localName = next() % 8 === 0 ? base.localName.slice(0, next() % 8) : base.localName;
  if (base.manufacturerData) adv.manufacturerData = mutateBytes(base.manufacturerData, next);
  if (base.serviceData)
    adv.serviceData = base.serviceData.map((s) => ({ uuid: s.uuid, data: mutateBytes(s.data, next) }));
  return adv;
}

const CODES = new Set([
  'unknown_format',
  'bad_length',
  'unsupported_version',
  'no_values',
  'missing_key',
  'bad_key',
  'decrypt_failed',
  'downgrade',
  'replay',
  'invalid_address',
]);

describe('fuzz: every definition against recorded adverts, mutated (50,000; 1,000,000 in pnpm bench)', () => {
  it('never throws, answers well-formed results, and reaches every family', () => {
    const bases = loadTheengsVectors().map(toAdvert);
    // Victron solar charger advert from keshavdv/victron-ble tests/test_solar_charger.py (key below).
    const victron = {
      address: 'C0:3B:98:00:00:01',
      manufacturerData: hexToBytes('e102100242a0016207adceb37b605d7e0ee21b24df5c')!,
    };
    for (let i = 0; i < 20; i++) bases.push(victron);
    const next = xorshift(42);
    const keys = createKeyRing({
      'AA:BB:CC:DD:EE:FF': 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      'C0:3B:98:00:00:01': 'adeccb947395801a4dd45a2eaa44bf17',
    });
    const replay = createReplayGuard({ maxDevices: 100 });
    const reached = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      const base = bases[next() % bases.length]!;
      const adv = i % 5 === 0 ? base : mutate(base, next);
      const r = decodeAdvertisement(adv, i % 3 === 0 ? { keys, replay } : {});
      if (r.ok) {
        reached.add(r.format);
        for (const [name, value] of Object.entries(r.values)) {
          if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`bad value name ${name}`);
          if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`${name} = ${value}`);
        }
        if (!r.brand || !r.model || !r.modelId) throw new Error('decoded without identity');
      } else if (!CODES.has(r.code)) {
        throw new Error(`unexpected ${r.code}: ${r.detail}`);
      }
    }
    const untested = FORMAT_IDS.filter((f) => !reached.has(f) && f !== 'thingy52');
    expect(untested).toEqual([]);
  });
});
