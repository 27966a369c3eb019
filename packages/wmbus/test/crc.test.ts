import { compactFormatFromHex, crc16En13757, crc16X25, hexToBytes } from '@iotgw/wmbus';
import { describe, expect, it } from 'vitest';
import { bytesOf } from './support/vectors.js';

const check = new TextEncoder().encode('123456789');

describe('CRCs (spec section a and b)', () => {
  it('CRC-16/EN-13757 has the catalogue check value 0xC2B7', () => {
    expect(crc16En13757(check)).toBe(0xc2b7);
  });

  it('CRC-16/X-25 (HCI) has the catalogue check value 0x906E', () => {
    expect(crc16X25(check)).toBe(0x906e);
  });

  it('the spec compact-format signatures: Multical21 0xA8ED, OmniPower 0x8C13', () => {
    const mc = compactFormatFromHex('02FF2004134413615B6167');
    const op = compactFormatFromHex('040404843C042B04AB3C');
    expect(mc.ok && mc.format.signature).toBe(0xa8ed);
    expect(op.ok && op.format.signature).toBe(0x8c13);
  });

  it('the spec OmniPower payload CRC 0x7011 and data CRC 0x9144', () => {
    const plain = bytesOf('1170 79 138C 4491 CE000000 00000000 03000000 00000000');
    expect(crc16En13757(plain, 2)).toBe(0x7011);
    expect(crc16En13757(bytesOf('0404CE000000 04843C00000000 042B03000000 04AB3C00000000'))).toBe(0x9144);
  });

  it('the HCI CRC of a real stick answer A5 81 04 00 9C F7 (issue #164) verifies', () => {
    const f = hexToBytes('A58104009CF7') ?? new Uint8Array();
    expect(crc16X25(f, 1, 4)).toBe(0xf79c);
  });
});
