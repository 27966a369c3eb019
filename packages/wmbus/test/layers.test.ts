import { createCipheriv } from 'node:crypto';
import { crc16En13757, decodeTelegram } from '@iotgw/wmbus';
import { describe, expect, it } from 'vitest';
import { bytesOf, SPEC_KEY } from './support/vectors.js';

// Frames for the less common layers, built by hand here with node:crypto directly (an implementation
// independent of the package's AesEngine), so the decoder is checked against the layout, not against itself.
const key = bytesOf(SPEC_KEY);
const LINK = '44 2D2C 78563412 01 07'; // KAM, id 12345678, version 1, water: no driver, generic records
const RECORDS = '0413 E8030000 426C 812A';

function withL(hex: string): Uint8Array {
  const b = bytesOf(`00 ${hex}`);
  b[0] = b.length - 1;
  return b;
}

function expectRecords(b: Uint8Array, options: { key?: Uint8Array } = {}): void {
  const r = decodeTelegram(b, options);
  expect(r).toMatchObject({
    ok: false,
    code: 'WMBUS_ERR_NO_DRIVER',
    header: { id: '12345678', manufacturer: 'KAM' },
  });
  if (!r.ok) expect(r.records?.map((x) => x.value)).toEqual([1, '2020-10-01']);
}

describe('less common layers', () => {
  it('ELL I (CI 8C, no encryption) then TPL 78', () => {
    expectRecords(withL(`${LINK} 8C 20 05 78 ${RECORDS}`));
  });

  it('ELL IV (CI 8F, M2/A2, SN, AES-CTR) with the link-layer address in the IV', () => {
    const plain = withL(`${LINK} 8F 20 05 2D2C 11223344 01 07 01000020 0000 78 ${RECORDS}`);
    const crcAt = 10 + 15;
    const crc = crc16En13757(plain, crcAt + 2);
    plain[crcAt] = crc & 0xff;
    plain[crcAt + 1] = crc >> 8;
    const iv = Buffer.from([...plain.subarray(2, 10), 0x20, 0x01, 0x00, 0x00, 0x20, 0, 0, 0]);
    const c = createCipheriv('aes-128-ctr', key, iv);
    const enc = Uint8Array.from(plain);
    enc.set(c.update(plain.subarray(crcAt)), crcAt);
    expectRecords(enc, { key });
    expect(decodeTelegram(enc, { key: new Uint8Array(16) })).toMatchObject({ code: 'WMBUS_ERR_WRONG_KEY' });
  });

  it('AFL (CI 90) is stepped over; a fragment is refused', () => {
    expectRecords(withL(`${LINK} 90 02 0000 78 ${RECORDS}`));
    expect(decodeTelegram(withL(`${LINK} 90 02 0040 78 ${RECORDS}`))).toMatchObject({
      code: 'WMBUS_ERR_UNSUPPORTED',
    });
  });

  it('TPL long header (CI 72) with mode 5 uses the long header address in the IV', () => {
    const acc = 0x33;
    const head = bytesOf(`72 78563412 2D2C 01 07 ${acc.toString(16)} 00 1005`);
    const clear = new Uint8Array(16).fill(0x2f);
    clear.set(bytesOf(`2F2F ${RECORDS}`));
    const iv = Buffer.from([0x2d, 0x2c, 0x78, 0x56, 0x34, 0x12, 0x01, 0x07, ...new Array(8).fill(acc)]);
    const c = createCipheriv('aes-128-cbc', key, iv).setAutoPadding(false);
    const enc = Buffer.concat([c.update(clear), c.final()]);
    // A different link-layer address (a repeater) must not matter: the IV comes from the long header.
    const t = withL(`44 2D2C 99999999 01 31 ${Buffer.from(head).toString('hex')} ${enc.toString('hex')}`);
    const r = decodeTelegram(t, { key });
    expect(r).toMatchObject({ ok: false, code: 'WMBUS_ERR_NO_DRIVER' });
    if (!r.ok) expect(r.records?.map((x) => x.value)).toEqual([1, '2020-10-01']);
  });

  it('TPL short header without encryption, with and without a key', () => {
    const t = withL(`${LINK} 7A 01 00 0000 ${RECORDS}`);
    expectRecords(t);
    expect(decodeTelegram(t, { key })).toMatchObject({ code: 'WMBUS_ERR_NOT_ENCRYPTED' });
  });
});
