import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  builtInDrivers,
  type DecodeResult,
  decodeTelegram,
  hexToBytes,
  MeterDecodeState,
} from '@iotgw/wmbus';
import { loadDriverFiles, parseDriverFile } from '@iotgw/wmbus/driver-files';
import { describe, expect, it } from 'vitest';
import { Prng } from './support/prng.js';
import { fixturesDir } from './support/vectors.js';

// The CI version: 20,000 mutated telegrams across every driver (the 1,000,000 version runs in `pnpm bench`).
const TELEGRAMS = 20_000;
const FILE_MUTATIONS = 500;

const good = join(fixturesDir, 'drivers', 'good');
const drivers = [...builtInDrivers, ...loadDriverFiles([good]).drivers.map((d) => d.driver)];
const seeds = drivers.flatMap((d) => (d.tests ?? []).flatMap((t) => t.telegrams.map((h) => hexToBytes(h))));

function mutate(rng: Prng, src: Uint8Array): Uint8Array {
  const b = Uint8Array.from(src);
  for (let k = 0, n = 1 + rng.below(4); k < n; k++) {
    const at = rng.below(Math.max(1, b.length));
    if (rng.below(3) === 0) b[at] = rng.below(256);
    else b[at] = (b[at] ?? 0) ^ (1 << rng.below(8));
  }
  return rng.below(8) === 0 ? b.subarray(0, rng.below(b.length + 1)) : b;
}

function check(r: DecodeResult): void {
  if (r.ok) {
    for (const v of Object.values(r.reading.values))
      if (typeof v === 'number' && !Number.isFinite(v)) throw new Error('a value JSON cannot carry');
  } else if (!r.code.startsWith('WMBUS_ERR_')) throw new Error(`bad code ${r.code}`);
}

describe('fuzz: driver-file drivers', () => {
  it(`${TELEGRAMS} mutated telegrams through every driver: no throw, only values or coded failures`, () => {
    expect(seeds.every((s) => s !== undefined)).toBe(true);
    const rng = new Prng(0x5eed);
    let ok = 0;
    for (let i = 0; i < TELEGRAMS; i++) {
      const seed = seeds[rng.below(seeds.length)] as Uint8Array;
      const driver = drivers[rng.below(drivers.length)];
      const r = decodeTelegram(mutate(rng, seed), {
        state: new MeterDecodeState(),
        preDecrypted: true,
        ...(driver ? { driver } : {}),
      });
      check(r);
      if (r.ok) ok++;
    }
    // Some mutations leave the telegram decodable (a flipped value bit): the drivers ran on them.
    expect(ok).toBeGreaterThan(0);
  });

  it(`${FILE_MUTATIONS} mutated driver files: never a throw, either a driver or problems with a path`, () => {
    const files = readdirSync(good).map((f) => [f, readFileSync(join(good, f), 'utf8')] as const);
    const rng = new Prng(0xd41);
    for (let i = 0; i < FILE_MUTATIONS; i++) {
      const [name, text] = files[rng.below(files.length)] as readonly [string, string];
      const at = rng.below(text.length);
      const chars = '{}=\'":[], \n#/*-0x9aZ';
      const mutated =
        text.slice(0, at) + chars.charAt(rng.below(chars.length)) + text.slice(at + rng.below(3));
      const r = parseDriverFile(name, mutated);
      if (!r.ok) for (const p of r.problems) expect(p.path.startsWith('/')).toBe(true);
    }
  });
});
