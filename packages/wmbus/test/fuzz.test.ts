import {
  addDllCrcs,
  analyzeTelegram,
  type DecodeResult,
  decodeTelegram,
  MeterDecodeState,
  parseLinkLayer,
} from '@iotgw/wmbus';
import { encodeHciFrame, HciFrameParser, MAX_HCI_FRAME } from '@iotgw/wmbus/im871a';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prng } from './support/prng.js';
import { bytesOf, optionsOf, vector, vectors } from './support/vectors.js';

// 10 fast-check runs × 100,000 generated inputs = 1,000,000 random byte strings per target; the PRNG seed comes
// from fast-check, so a failure is reproducible from the seed it reports.
const RUNS = 10;
const PER_RUN = 100_000;
const MUTATIONS = 100_000;
const key = bytesOf('9A25139E3244CC2E391A8EF6B915B697');
const CIS = [0x78, 0x79, 0x7a, 0x72, 0x8c, 0x8d, 0x8e, 0x8f, 0x90];

function checkResult(r: DecodeResult): void {
  if (typeof r !== 'object' || r === null || typeof r.ok !== 'boolean')
    throw new Error('decoder returned no result');
  if (r.ok) {
    for (const v of [...Object.values(r.reading.values), ...r.reading.records.map((x) => x.value)])
      if (typeof v === 'number' && !Number.isFinite(v)) throw new Error('a value JSON cannot carry');
  } else if (typeof r.code !== 'string' || !r.code.startsWith('WMBUS_ERR_'))
    throw new Error(`bad code ${r.code}`);
}

/** Random telegram-ish bytes: half noise, half with a consistent L, C = 0x44 and an interesting CI. */
function randomTelegram(rng: Prng): Uint8Array {
  const len = rng.below(90);
  const b = rng.bytes(len);
  if (len > 11 && rng.below(2) === 0) {
    b[0] = len - 1;
    b[1] = 0x44;
    b[10] = CIS[rng.below(CIS.length)] ?? 0x78;
  }
  return b;
}

function mutate(rng: Prng, src: Uint8Array): Uint8Array {
  let b = Uint8Array.from(src);
  const ops = 1 + rng.below(3);
  for (let k = 0; k < ops; k++) {
    const at = b.length === 0 ? 0 : rng.below(b.length);
    switch (rng.below(6)) {
      case 0:
        b[at] = (b[at] ?? 0) ^ (1 << rng.below(8));
        break;
      case 1:
        b[at] = rng.below(256);
        break;
      case 2:
        b = Uint8Array.from([...b.subarray(0, at), rng.below(256), ...b.subarray(at)]);
        break;
      case 3:
        b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + 1)]);
        break;
      case 4:
        b = b.slice(0, at);
        break;
      default:
        b = Uint8Array.from([...b, ...b.subarray(at, at + 1 + rng.below(8))]);
    }
  }
  if (b.length > 0 && rng.below(2) === 0) b[0] = (b.length - 1) & 0xff;
  return b;
}

const corpus = vectors.map((v) => ({ bytes: bytesOf(v.hex), options: optionsOf(v) }));
corpus.push({
  bytes: addDllCrcs(bytesOf(vector('wmbusmeters-multical21-full').hex), 'A'),
  options: optionsOf(vector('wmbusmeters-multical21-full')),
});

describe('fuzz: nothing throws, nothing hangs, memory stays bounded', () => {
  it('1,000,000 random byte strings into the link-layer parser and the decoder', () => {
    const started = performance.now();
    const state = new MeterDecodeState();
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const rng = new Prng(seed);
        for (let i = 0; i < PER_RUN; i++) {
          const b = randomTelegram(rng);
          const l = parseLinkLayer(b);
          if (typeof l.ok !== 'boolean') return false;
          checkResult(decodeTelegram(b, i % 2 === 0 ? { key, state } : {}));
        }
        return true;
      }),
      { numRuns: RUNS },
    );
    console.info(
      `fuzz decoder: ${RUNS * PER_RUN} random inputs in ${Math.round(performance.now() - started)} ms`,
    );
  });

  it('1,000,000 random chunks into the HCI frame parser (pending bytes stay under one frame)', () => {
    const started = performance.now();
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const rng = new Prng(seed);
        const parser = new HciFrameParser();
        for (let i = 0; i < PER_RUN; i++) {
          const chunk = rng.bytes(rng.below(40));
          if (chunk.length > 0 && rng.below(4) === 0) chunk[0] = 0xa5;
          for (const f of parser.push(chunk)) if (f.payload.length > 255) return false;
          if (parser.pendingBytes >= MAX_HCI_FRAME) return false;
        }
        return true;
      }),
      { numRuns: RUNS },
    );
    console.info(
      `fuzz HCI parser: ${RUNS * PER_RUN} random chunks in ${Math.round(performance.now() - started)} ms`,
    );
  });

  it('100,000 mutated valid telegrams into the link layer, the decoder and (1 in 10) the analyzer', () => {
    const started = performance.now();
    const heapBefore = process.memoryUsage().heapUsed;
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const rng = new Prng(seed);
        const states = corpus.map(() => new MeterDecodeState());
        for (let i = 0; i < MUTATIONS / RUNS; i++) {
          const pick = rng.below(corpus.length);
          const c = corpus[pick];
          if (c === undefined) continue;
          const b = mutate(rng, c.bytes);
          parseLinkLayer(b);
          checkResult(decodeTelegram(b, { ...c.options, ...(states[pick] ? { state: states[pick] } : {}) }));
          if (i % 10 === 0 && !Array.isArray(analyzeTelegram(b, c.options.key ? { key: c.options.key } : {})))
            return false;
        }
        return true;
      }),
      { numRuns: RUNS },
    );
    const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    console.info(
      `fuzz mutations: ${MUTATIONS} in ${Math.round(performance.now() - started)} ms, heap delta ${heapMb.toFixed(1)} MiB`,
    );
  });

  it('100,000 mutated HCI streams of valid indications', () => {
    const frames = corpus
      .slice(0, 10)
      .map((c) =>
        encodeHciFrame({ endpoint: 2, msgId: 3, payload: c.bytes.subarray(1), crc: true, rssiRaw: 70 }),
      );
    const stream = Uint8Array.from(frames.flatMap((f) => [...f]));
    let decoded = 0;
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const rng = new Prng(seed);
        const parser = new HciFrameParser();
        for (let i = 0; i < MUTATIONS / RUNS; i++) {
          const m = mutate(rng, stream.subarray(rng.below(stream.length)));
          const cut = rng.below(m.length + 1);
          decoded += parser.push(m.subarray(0, cut)).length + parser.push(m.subarray(cut)).length;
          if (parser.pendingBytes >= MAX_HCI_FRAME) return false;
        }
        return true;
      }),
      { numRuns: RUNS },
    );
    expect(decoded).toBeGreaterThan(MUTATIONS);
  });
});
