/**
 * CRC-16/X-25 (reflected 0x8408, init 0xFFFF, final XOR 0xFFFF; check 0x906E for "123456789"): the iM871A
 * HCI frame CRC, computed from the control byte up to the byte before the CRC, stored low byte first.
 */
const TABLE = buildTable();

function buildTable(): Uint16Array {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i;
    for (let j = 0; j < 8; j++) r = r & 1 ? (r >>> 1) ^ 0x8408 : r >>> 1;
    t[i] = r;
  }
  return t;
}

export function crc16X25(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ (TABLE[(crc ^ (bytes[i] ?? 0)) & 0xff] ?? 0);
  return ~crc & 0xffff;
}
