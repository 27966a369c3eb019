import { existsSync } from 'node:fs';
import {
  decodeAdvertisement,
  definitionLoadErrors,
  FORMAT_IDS,
  formatLoadError,
  formatRegistry,
} from '@iotgw/ble';
import { describe, expect, it } from 'vitest';
import { fixturesDir, loadVectors } from './fixture-vectors.js';

const stripRepeat = (name: string): string => name.replace(/_\d+$/, '');

describe('format registry invariants', () => {
  it('has unique format ids, and every device an identity and a way to be recognised', () => {
    expect(new Set(FORMAT_IDS).size).toBe(formatRegistry.length);
    for (const f of formatRegistry) {
      expect(f.devices.length, f.id).toBeGreaterThan(0);
      for (const d of f.devices) {
        expect(d.brand && d.model && d.modelId, `${f.id} ${d.modelId}`).toBeTruthy();
        expect(Object.keys(d.match).length, `${f.id} ${d.modelId}`).toBeGreaterThan(0);
      }
    }
  });

  it('loaded every definition without error', () => {
    expect(definitionLoadErrors.map(formatLoadError)).toEqual([]);
  });

  it('uses snake_case value names, no duplicates, and declares its sequence value', () => {
    for (const format of formatRegistry) {
      expect(new Set(format.valueNames).size, format.id).toBe(format.valueNames.length);
      for (const name of format.valueNames) expect(name, format.id).toMatch(/^[a-z][a-z0-9_]*$/);
      if (format.sequenceValue !== undefined) expect(format.valueNames).toContain(format.sequenceValue);
    }
  });

  // Families with golden-vector files; the others are held to Theengs' recorded adverts (theengs.test.ts).
  const withGolden = formatRegistry.filter((f) => existsSync(`${fixturesDir}${f.id}.json`));
  it('the three original formats keep their golden-vector files', () => {
    expect(withGolden.map((f) => f.id).sort()).toEqual(['bthome_v2', 'ruuvi_v5', 'thingy52']);
  });

  describe.each(withGolden.map((f) => [f.id, f] as const))('%s', (id, format) => {
    it('has a golden-vector file with at least one decodable and one refused vector', () => {
      expect(existsSync(`${fixturesDir}${id}.json`)).toBe(true);
      const vectors = loadVectors(id);
      expect(vectors.some((v) => v.expect.ok)).toBe(true);
      expect(vectors.some((v) => !v.expect.ok)).toBe(true);
      for (const v of vectors) expect(v.source.length, v.name).toBeGreaterThan(10);
    });

    it('produces only declared value names, and every declared name appears in its vectors', () => {
      const seen = new Set<string>();
      for (const v of loadVectors(id)) {
        const result = decodeAdvertisement(v.advert, {});
        if (!result.ok) continue;
        expect(result.format).toBe(id);
        for (const name of Object.keys(result.values)) {
          expect(format.valueNames, `${v.name}: ${name}`).toContain(stripRepeat(name));
          seen.add(stripRepeat(name));
        }
      }
      // Encrypted vectors need their key; decode them too so their names count.
      for (const v of loadVectors(id).filter((x) => x.expect.ok)) {
        if (!v.expect.ok) continue;
        for (const name of Object.keys(v.expect.values)) {
          expect(format.valueNames, `${v.name}: ${name}`).toContain(stripRepeat(name));
          seen.add(stripRepeat(name));
        }
      }
      expect([...format.valueNames].filter((n) => !seen.has(n))).toEqual([]);
    });

    it('sets the sequence from its sequence value whenever that value is decoded', () => {
      if (format.sequenceValue === undefined) return;
      for (const v of loadVectors(id)) {
        const result = decodeAdvertisement(v.advert, {});
        if (result.ok && format.sequenceValue in result.values) {
          expect(result.sequence).toBe(result.values[format.sequenceValue]);
        }
      }
    });
  });
});
