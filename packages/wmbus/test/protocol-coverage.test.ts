import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeTelegram, decodeTelegram, formatAnalysis, hexToBytes } from '@iotgw/wmbus';
import { parseDriverFile } from '@iotgw/wmbus/driver-files';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from './support/vectors.js';

const file = join(fixturesDir, 'drivers', 'good', 'testwater.yaml');
const parsed = parseDriverFile(file, readFileSync(file, 'utf8'));
if (!parsed.ok) throw new Error('testwater.yaml does not load');
const driver = parsed.driver;
const bytes = (hex: string): Uint8Array => hexToBytes(hex) as Uint8Array;

// Hand-assembled: wired M-Bus long frame (C=08, A=01) with a long TPL header naming meter TST 12345678.
const WIRED = '681B1B680801727856341274520107010000000413E80300004413D00700008E16';

describe('protocol coverage', () => {
  it('decodes a wired M-Bus long frame (68 L L 68 … CS 16) through the same driver', () => {
    const r = decodeTelegram(bytes(WIRED), { driver });
    expect(r.ok ? r.reading : r).toMatchObject({ id: '12345678', manufacturer: 'TST', media: 'water' });
    expect(r.ok && r.reading.values).toMatchObject({ total_m3: 1, target_m3: 2 });
    const bad = bytes(WIRED);
    bad[bad.length - 2] = 0x00;
    expect(decodeTelegram(bad, { driver })).toMatchObject({ ok: false, code: 'WMBUS_ERR_CRC' });
  });

  it('takes the meter address from a long TPL header (the link address is a radio converter)', () => {
    // Link address: converter ZZZ 99999999, type 0x37 (radio converter, meter side); TPL: TST 12345678 water.
    const t = bytes('2244 5A6B 99999999 01 37 72 78563412 7452 01 07 01 00 0000 0413E8030000 4413D0070000');
    const r = decodeTelegram(t, {});
    expect(r.ok).toBe(false);
    const withDriver = decodeTelegram(t, { driver });
    expect(withDriver.ok ? withDriver.reading : withDriver).toMatchObject({
      id: '12345678',
      manufacturer: 'TST',
      media: 'water',
    });
  });

  it('reads TPL security mode 7 content given pre-decrypted (wmbusmeters test convention) and refuses it otherwise', () => {
    // CFG 0x0710: mode 7, one encrypted block; CFG extension byte 0x00; then the (plain) block.
    const t = bytes('2144 7452 78563412 01 07 7A 01 00 1007 00 2F2F 0413E8030000 4413D0070000 2F2F2F2F');
    expect(decodeTelegram(t, { driver, preDecrypted: true })).toMatchObject({
      ok: true,
      reading: { values: { total_m3: 1, target_m3: 2 } },
    });
    expect(decodeTelegram(t, { driver })).toMatchObject({ ok: false, code: 'WMBUS_ERR_UNSUPPORTED' });
  });
});

describe('wmbusmeters tolerances', () => {
  it('keeps the records before trailing bytes that are no record, and says so', () => {
    // Two good records, then FF FF (a reserved DIF): wmbusmeters keeps the records; so do we, visibly.
    const t = bytes('1C44 7452 78563412 01 07 7A 01 00 0000 0413E8030000 4413D0070000 FFFF');
    const r = decodeTelegram(t, { driver });
    expect(r.ok ? r.reading : r).toMatchObject({
      values: { total_m3: 1, target_m3: 2 },
      tolerated: [expect.stringMatching(/^2 trailing bytes at offset 27 ignored \(reserved DIF 0xff/)],
    });
    const lines = formatAnalysis(analyzeTelegram(t));
    expect(lines).toMatch(/tolerated\s*: 2 trailing bytes at offset 27 ignored/);
  });
});

describe('TPL security modes 16..31', () => {
  it('reads manufacturer-specific security modes as plaintext, as wmbusmeters does, and says so', () => {
    // CFG 0x1500: security mode 21.
    const t = bytes('1A44 7452 78563412 01 07 7A 01 00 0015 0413E8030000 4413D0070000');
    const r = decodeTelegram(t, { driver });
    expect(r.ok ? r.reading : r).toMatchObject({
      values: { total_m3: 1, target_m3: 2 },
      tolerated: ['TPL security mode 21 (manufacturer specific) read as plaintext'],
    });
    expect(formatAnalysis(analyzeTelegram(t))).toMatch(/tolerated\s*: TPL security mode 21/);
  });
});

describe('TPL security mode 7', () => {
  // wmbusmeters tests/test_frame_b_trim.sh: a Sensostar heat meter (EFE 43054304), frame format B with DLL
  // CRCs, ELL-I + AFL (MCL, MCR, 8-byte CMAC) + TPL mode 7 (KDF-A), key 622b…78d1; wmbusmeters prints
  // total_kwh 9341 and total_water_m3 1348.631 for it.
  const SENSOSTAR =
    'C244C5140443054300048C200E900F002C25895E02003B0877D31DA840B17A0E009007100F8FAD4C4E61400DA4F3B1F7E273CC4C5C07F93CD20B237345DB39F9A98F8415E1C4B7A25C86E4C22D05C3352FA7E2E5627031F14643063F1DC8FE2C32459B6F02E4234B447B18E4BFDA8C4DA9B1EDE6CF29D0B2122A3E8B9DEEBEE3E6DBE6617B4E709EC6B595179CB01C2C0BDE6723A345B708652880C114A58DA07C73AD9EB8ACB17FA0A88F19BC84CB1FC56672DE8A9603FD0C05010002FD0B2111F60B';
  const KEY = bytes('622b9656991ff0c1574c0950cf9278d1');

  it('checks the AFL MAC with the derived key and decrypts (AES-CBC, zero IV, CMAC key derivation)', () => {
    const r = decodeTelegram(bytes(SENSOSTAR), { key: KEY });
    if (!r.ok) throw new Error(`${r.code}: ${r.detail}`);
    expect(r.reading.driver).toBe('sensostar');
    const energy = r.reading.records.find((x) => x.key === '0406');
    const volume = r.reading.records.find((x) => x.key === '0413');
    expect(energy?.value).toBe(9341);
    expect(volume?.value).toBeCloseTo(1348.631, 6);
  });

  it('refuses a wrong key by the MAC, and a telegram whose MAC does not match its bytes', () => {
    const wrong = bytes('00112233445566778899aabbccddeeff');
    expect(decodeTelegram(bytes(SENSOSTAR), { key: wrong })).toMatchObject({
      ok: false,
      code: 'WMBUS_ERR_WRONG_KEY',
      detail: expect.stringMatching(/AFL MAC check failed/),
    });
  });
});
