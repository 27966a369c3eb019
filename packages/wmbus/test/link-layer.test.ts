import {
  addDllCrcs,
  buildOmnipowerTelegram,
  frameFormatCandidates,
  manufacturerCode,
  manufacturerField,
  parseLinkLayer,
  stripDllCrcs,
} from '@iotgw/wmbus';
import { describe, expect, it } from 'vitest';
import { bytesOf, SPEC_KEY, vector } from './support/vectors.js';

describe('link layer', () => {
  it('parses L C M A V T CI of the spec example', () => {
    const r = parseLinkLayer(bytesOf(vector('spec-omnipower-compact').hex));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.frame.header).toMatchObject({
      length: 0x27,
      c: 0x44,
      mField: 0x2c2d,
      manufacturer: 'KAM',
      id: '32666857',
      version: 0x30,
      deviceType: 0x02,
      media: 'electricity',
      ci: 0x8d,
    });
    expect(r.frame.dllCrc).toBe('none');
  });

  it('encodes manufacturer codes both ways (KAM = 0x2C2D, KAW = 0x2C37)', () => {
    expect(manufacturerCode(0x2c2d)).toBe('KAM');
    expect(manufacturerField('KAW')).toBe(0x2c37);
    expect(manufacturerField('kam')).toBeUndefined();
  });

  it('detects and strips format A and B DLL CRCs, and rewrites L', () => {
    const stripped = buildOmnipowerTelegram({
      id: '32666857',
      key: SPEC_KEY,
      accessNumber: 1,
      compact: false,
      values: { total_energy_consumption_kwh: 1 },
    });
    for (const format of ['A', 'B'] as const) {
      const raw = addDllCrcs(stripped, format);
      expect(raw.length).toBe(format === 'A' ? stripped.length + 2 * 4 : stripped.length + 2);
      expect(frameFormatCandidates(raw)[0]).toBe(format === 'A' ? 'A' : 'stripped');
      expect(frameFormatCandidates(raw)).toContain(format);
      const r = parseLinkLayer(raw, { frameFormat: format });
      expect(r.ok && r.frame.bytes).toEqual(stripped);
      expect(stripDllCrcs(raw, format)).toEqual(stripped);
    }
  });

  it('handles format B frames longer than 128 bytes (two CRCs)', () => {
    const stripped = new Uint8Array(200);
    stripped.set([199, 0x44, 0x2d, 0x2c, 1, 2, 3, 4, 1, 7, 0x78]);
    const raw = addDllCrcs(stripped, 'B');
    expect(raw.length).toBe(204);
    expect(raw[0]).toBe(203);
    const r = parseLinkLayer(raw, { frameFormat: 'B' });
    expect(r.ok && r.frame.bytes).toEqual(stripped);
  });

  it('reports short, length-mismatch and bad-CRC input as typed failures', () => {
    expect(parseLinkLayer(new Uint8Array(3))).toMatchObject({ ok: false, code: 'WMBUS_ERR_SHORT' });
    const t = bytesOf(vector('spec-omnipower-compact').hex);
    expect(parseLinkLayer(t.subarray(0, t.length - 1))).toMatchObject({
      ok: false,
      code: 'WMBUS_ERR_LENGTH',
    });
    expect(parseLinkLayer(t, { frameFormat: 'A' })).toMatchObject({ ok: false, code: 'WMBUS_ERR_CRC' });
  });
});
