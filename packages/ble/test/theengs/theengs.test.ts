import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatRegistry } from '@iotgw/ble';
import { describe, expect, it } from 'vitest';
import { compareVector, loadTheengsVectors } from './theengs-compare.js';

const doc = readFileSync(fileURLToPath(new URL('../../../../docs/ble-theengs.md', import.meta.url)), 'utf8');

/** What this repository achieves today; raise these when coverage grows, never lower them silently. */
const MIN_VECTORS = 417;
const MIN_MODELS = 102;

describe("Theengs Decoder's suite (fixtures/theengs/test-ble-vectors.json)", () => {
  const vectors = loadTheengsVectors();
  const outcomes = vectors.map((v, i) => ({ i, v, c: compareVector(v) }));
  const models = new Map<string, boolean>();
  for (const { v, c } of outcomes) {
    const id = String(v.expected.model_id);
    models.set(id, (models.get(id) ?? false) || c.ok);
  }

  it(`records all 457 adverts of 114 models`, () => {
    expect(vectors).toHaveLength(457);
    expect(models.size).toBe(114);
  });

  it(`decodes at least ${MIN_VECTORS} adverts and ${MIN_MODELS} models to the values Theengs expects`, () => {
    const same = outcomes.filter((o) => o.c.ok).length;
    const covered = [...models.values()].filter(Boolean).length;
    console.info(`Theengs suite: ${same}/${vectors.length} adverts, ${covered}/${models.size} models`);
    expect(same).toBeGreaterThanOrEqual(MIN_VECTORS);
    expect(covered).toBeGreaterThanOrEqual(MIN_MODELS);
  });

  it('docs/ble-theengs.md lists exactly the adverts that differ', () => {
    const listed = new Set([...doc.matchAll(/^\|\s*(\d+)\s*\|/gm)].map((m) => Number(m[1])));
    const differing = outcomes.filter((o) => !o.c.ok).map((o) => o.i);
    expect([...listed].sort((a, b) => a - b)).toEqual(differing);
  });

  it('never identifies an advert as a model of another family than the one that decodes it', () => {
    const families = new Map(formatRegistry.map((f) => [f.id, new Set(f.devices.map((d) => d.modelId))]));
    for (const { c } of outcomes) {
      if (c.result.ok) expect(families.get(c.result.format)?.has(c.result.modelId)).toBe(true);
    }
  });
});
