/**
 * CRC-16/EN-13757: polynomial 0x3D65, init 0x0000, MSB first, final complement (check value 0xC2B7 for
 * "123456789"). Used for the DLL block CRCs, the ELL payload CRC and the compact-frame signature/data CRC.
 */
const TABLE = buildTable();

function buildTable(): Uint16Array {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 8;
    for (let j = 0; j < 8; j++) r = r & 0x8000 ? ((r << 1) ^ 0x3d65) & 0xffff : (r << 1) & 0xffff;
    t[i] = r;
  }
  return t;
}

export function crc16En13757(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return ~crc16En13757Update(0, bytes, start, end) & 0xffff;
}

/** The CRC register after feeding bytes[start..end) (init 0, no final complement): for CRCs over several spans. */
export function crc16En13757Update(register: number, bytes: Uint8Array, start: number, end: number): number {
  let crc = register;
  for (let i = start; i < end; i++)
    crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ (bytes[i] ?? 0)) & 0xff] ?? 0);
  return crc;
}
