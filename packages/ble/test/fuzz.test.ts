import {
  type Advertisement,
  createKeyRing,
  createReplayGuard,
  type DecodeResult,
  decodeAdvertisement,
  encodeBthome,
  encodeRuuviV5,
  encodeThingy52,
  FORMAT_IDS,
} from '@iotgw/ble';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const KNOWN_CODES = new Set([
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

const ADDRESSES = [
  '54:48:E6:8F:80:A5',
  'a4:c1:38:00:00:02',
  'F4-3C-21-0A-9B-11',
  'c51a2b3c4d5e',
  'not-a-mac',
  '',
];
const keys = createKeyRing({
  '54:48:E6:8F:80:A5': '231d39c1d7cc1ab1aee224cd096db932',
  'A4:C1:38:00:00:02': 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
});
/** A key of the wrong length in a plain Map, to reach `bad_key`. */
const badKeys = new Map([['c5:1a:2b:3c:4d:5e', new Uint8Array(8)]]);

/** Throws (failing the property) unless `result` is a well-formed ok:true or ok:false. */
function assertWellFormed(result: DecodeResult): void {
  if (result.ok === true) {
    if (!(FORMAT_IDS as readonly string[]).includes(result.format))
      throw new Error(`bad format ${result.format}`);
    if (typeof result.address !== 'string') throw new Error('address not a string');
    for (const [name, value] of Object.entries(result.values)) {
      if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`bad value name ${name}`);
      const t = typeof value;
      if (t === 'number' ? !Number.isFinite(value) : t !== 'boolean' && t !== 'string') {
        throw new Error(`bad value ${name}=${String(value)}`);
      }
    }
    if (result.sequence !== undefined && !Number.isInteger(result.sequence)) throw new Error('bad sequence');
  } else if (result.ok === false) {
    if (!KNOWN_CODES.has(result.code)) throw new Error(`unexpected code ${result.code}: ${result.detail}`);
    if (typeof result.detail !== 'string' || result.detail === '') throw new Error('empty detail');
  } else {
    throw new Error('result is neither ok:true nor ok:false');
  }
}

/** xorshift32: cheap deterministic bytes for the million-advert run. */
function xorshift(seed: number): () => number {
  let x = seed | 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

const VALID = [
  encodeThingy52({ window_open: true, humidity_pct: 45, temperature_c: -0.5, co2_ppm: 420, battery_pct: 90 }),
  encodeRuuviV5({
    temperature_c: 24.3,
    humidity_pct: 53.49,
    measurement_sequence: 205,
    mac: 'CB:B8:33:4C:88:4F',
  }),
];
const VALID_SERVICE = [
  encodeBthome([
    { id: 0x00, value: 1 },
    { id: 0x02, value: 25.06 },
    { id: 0x53, value: 'hi' },
  ]),
  encodeBthome([{ id: 0x02, value: 25.06 }], {
    key: keys.get('54:48:E6:8F:80:A5')!,
    address: '54:48:E6:8F:80:A5',
    counter: 7,
  }),
];
const COMPANY_IDS = [0xffff, 0x0499, 0x0059, 0x004c];
const UUIDS = ['fcd2', 'FCD2', '0000fcd2-0000-1000-8000-00805f9b34fb', '181c', 'feaa'];

function randomAdvert(next: () => number): Advertisement {
  const r = next();
  const adv: Advertisement = { address: ADDRESSES[r % ADDRESSES.length]! };
  if (r & 0x100) adv.rssi = -((r >>> 9) % 110);
  const mode = (r >>> 16) % 8;
  if (mode < 5) {
    // random manufacturer data, company id biased to the registered ones
    const len = next() % 65;
    const md = new Uint8Array(len);
    for (let i = 0; i < len; i++) md[i] = next() & 0xff;
    if (len >= 2 && mode < 3) {
      const company = COMPANY_IDS[next() % COMPANY_IDS.length]!;
      md[0] = company & 0xff;
      md[1] = company >> 8;
      if (mode === 0 && len >= 3) md[2] = next() % 2 === 0 ? 5 : (md[2] ?? 0) % 6; // keys / Ruuvi format byte
    }
    adv.manufacturerData = md;
  } else if (mode === 5) {
    // a valid manufacturer payload with a few bytes flipped or truncated
    const base = VALID[next() % VALID.length]!;
    const md = base.slice(0, next() % 3 === 0 ? next() % (base.length + 1) : base.length);
    for (let k = next() % 4; k > 0 && md.length > 0; k--) md[next() % md.length]! ^= 1 << (next() % 8);
    adv.manufacturerData = md;
  }
  if (mode >= 5) {
    const count = 1 + (next() % 3);
    adv.serviceData = Array.from({ length: count }, () => {
      if (next() % 2 === 0) {
        const base = VALID_SERVICE[next() % VALID_SERVICE.length]!.slice();
        for (let k = next() % 3; k > 0; k--) base[next() % base.length]! ^= 1 << (next() % 8);
        return { uuid: 'fcd2', data: base };
      }
      const len = next() % 65;
      const data = new Uint8Array(len);
      for (let i = 0; i < len; i++) data[i] = next() & 0xff;
      if (len > 0 && next() % 2 === 0) data[0] = 0x40 | (next() & 0x07); // version 2, random flags
      return { uuid: UUIDS[next() % UUIDS.length]!, data };
    });
  }
  return adv;
}

describe('fuzz: decodeAdvertisement never throws and always answers ok:true or ok:false', () => {
  it('1,000,000 cheaply generated adverts (fast-check drives 100 seeds × 10,000 adverts each)', () => {
    const replay = createReplayGuard({ maxDevices: 100 });
    const tally = new Map<string, number>();
    let total = 0;
    const started = performance.now();
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const next = xorshift(seed);
        for (let i = 0; i < 10_000; i++) {
          const adv = randomAdvert(next);
          const useBadKeys = (i & 0xff) === 0;
          const result = decodeAdvertisement(adv, { keys: useBadKeys ? badKeys : keys, replay });
          assertWellFormed(result);
          const outcome = result.ok ? `ok:${result.format}` : result.code;
          tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
          total++;
        }
      }),
      { numRuns: 100 },
    );
    expect(total).toBe(1_000_000);
    console.info(
      `fuzz: 1,000,000 adverts in ${Math.round(performance.now() - started)} ms`,
      Object.fromEntries(tally),
    );
    // The generator reaches every path of the three formats it encodes, not only the cheap refusals
    // (the other device families are fuzzed from recorded adverts in fuzz-definitions.test.ts).
    const reached = [...tally.keys()].sort();
    expect(reached).toEqual(
      expect.arrayContaining([...KNOWN_CODES, 'ok:thingy52', 'ok:ruuvi_v5', 'ok:bthome_v2']),
    );
    for (const outcome of reached) {
      expect([...KNOWN_CODES, ...FORMAT_IDS.map((f) => `ok:${f}`)]).toContain(outcome);
    }
  }, 180_000); // a correctness run, not a timing one: a loaded CI machine takes 30 s+ for it

  it('20,000 adverts from fast-check arbitraries (shrinkable counterexamples)', () => {
    const bytes = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max });
    const advert = fc.record(
      {
        address: fc.oneof(fc.constantFrom(...ADDRESSES), fc.string({ maxLength: 20 })),
        rssi: fc.integer({ min: -127, max: 20 }),
        localName: fc.string({ maxLength: 10 }),
        manufacturerData: fc.oneof(
          bytes(64),
          fc
            .tuple(fc.oneof(fc.constantFrom(...COMPANY_IDS), fc.integer({ min: 0, max: 0xffff })), bytes(62))
            .map(([company, rest]) => Uint8Array.from([company & 0xff, company >> 8, ...rest])),
        ),
        serviceData: fc.array(
          fc.record({
            uuid: fc.oneof(fc.constantFrom(...UUIDS), fc.string({ maxLength: 36 })),
            data: fc.oneof(
              bytes(64),
              fc
                .tuple(fc.integer({ min: 0x40, max: 0x47 }), bytes(63))
                .map(([i, r]) => Uint8Array.from([i, ...r])),
            ),
          }),
          { maxLength: 3 },
        ),
      },
      { requiredKeys: ['address'] },
    );
    const replay = createReplayGuard();
    const started = performance.now();
    fc.assert(
      fc.property(advert, (adv) => {
        assertWellFormed(decodeAdvertisement(adv, { keys, replay }));
      }),
      { numRuns: 20_000 },
    );
    console.info(`fuzz: 20,000 fast-check adverts in ${Math.round(performance.now() - started)} ms`);
  });
});
