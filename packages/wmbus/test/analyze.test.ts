import { addDllCrcs, analyzeTelegram, formatAnalysis } from '@iotgw/wmbus';
import { describe, expect, it } from 'vitest';
import { bytesOf, MULTICAL_KEY, SPEC_KEY, vector } from './support/vectors.js';

describe('analyzeTelegram', () => {
  it('shows the spec example field by field, each record marked C! with its value', () => {
    const text = formatAnalysis(
      analyzeTelegram(bytesOf(vector('spec-omnipower-compact').hex), { key: bytesOf(SPEC_KEY) }),
    );
    expect(text).toContain('000   : 27 length (39 bytes follow)');
    expect(text).toContain('002   : 2d2c dll-mfct (KAM)');
    expect(text).toContain('004   : 57686632 dll-id (32666857)');
    expect(text).toContain('010   : 8d ell-ci-field');
    expect(text).toContain('013   : 21870320 sn (AES_CTR');
    expect(text).toContain('017   : 1170 payload crc (calculated 1170 OK)');
    expect(text).toContain('020   : 138c format signature (0x8c13, built-in)');
    expect(text).toContain('024 C!: ce000000 ("total_energy_consumption_kwh":2.06)');
    expect(text).toContain('032 C!: 03000000 ("current_power_consumption_kw":0.003)');
    expect(text).toMatch(/result\s+: ok /);
  });

  it('matches wmbusmeters --analyze line for line on the published Multical 21 telegram', () => {
    const lines = analyzeTelegram(bytesOf(vector('wmbusmeters-multical21-full').hex), {
      key: bytesOf(MULTICAL_KEY),
    });
    const text = formatAnalysis(lines);
    for (const expected of [
      '011   : 20 ell-cc (slow_resp sync)',
      '013   : d37cac21 sn (AES_CTR',
      '017   : 576c payload crc (calculated 576c OK)',
      '023 C!: 7100 ("current_status":"DRY") ("time_dry":"22-31 days")',
      '027 C!: 08190000 ("total_m3":6.408)',
      '033 C!: 08190000 ("target_m3":6.408)',
      '039 C!: 7f ("flow_temperature_c":127)',
      '042 C!: 13 ("min_external_temperature_last_month_c":19)',
    ])
      expect(text).toContain(expected);
  });

  it('marks the encrypted span CE without a key and with a wrong key', () => {
    const t = bytesOf(vector('wmbusmeters-multical21-full').hex);
    const noKey = formatAnalysis(analyzeTelegram(t));
    expect(noKey).toContain(
      '017 CE: e1d68cdaffcd3dc452bd802913ff7b1706ca9e355d6c2701cc24 encrypted, no key given',
    );
    expect(noKey).toContain('WMBUS_ERR_NO_KEY');
    const wrong = formatAnalysis(analyzeTelegram(t, { key: bytesOf(SPEC_KEY) }));
    expect(wrong).toMatch(/017 {3}: [0-9a-f]{4} payload crc \(calculated [0-9a-f]{4} ERROR\)/);
    expect(wrong).toContain('019 CE: ');
    expect(wrong).toContain('failed decryption. Wrong key?');
  });

  it('says when DLL CRCs were removed, and shows unknown meters as generic records (C?)', () => {
    const a = addDllCrcs(bytesOf(vector('omnipower-full').hex), 'A');
    expect(formatAnalysis(analyzeTelegram(a, { key: bytesOf(SPEC_KEY) }))).toContain(
      'DLL CRCs of format A verified and removed',
    );
    const unknown = analyzeTelegram(bytesOf(vector('tpl-mode-5-unknown-meter').hex), {
      key: bytesOf(SPEC_KEY),
    });
    const text = formatAnalysis(unknown);
    expect(text).toContain('tpl-cfg (AES-CBC with IV (mode 5), 1 encrypted blocks)');
    expect(text).toContain('2f2f decrypt check (OK)');
    expect(text).toMatch(/C\?: d2040000 volume 1.234 m3/);
    expect(text).toContain('WMBUS_ERR_NO_DRIVER');
  });

  it('still shows a plaintext telegram given with a key, with a warning', () => {
    const text = formatAnalysis(
      analyzeTelegram(bytesOf(vector('omnipower-plaintext-with-key').hex), { key: bytesOf(SPEC_KEY) }),
    );
    expect(text).toContain('warning       : a key was given but the telegram is not encrypted');
    expect(text).toContain('C!: 5e010000 ("total_energy_consumption_kwh":3.5)');
  });

  it('never throws on garbage', () => {
    expect(analyzeTelegram(new Uint8Array([1, 2, 3]))).toEqual([
      { field: 'result', text: expect.stringContaining('WMBUS_ERR') },
    ]);
  });
});
