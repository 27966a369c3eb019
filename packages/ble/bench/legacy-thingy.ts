// The legacy gateway's Thingy:52 rules ported naively (DataView, Map, per-key branches), as a same-run
// baseline for the registry decoder: what a straightforward rewrite of gateway.py would cost.
export function legacyThingyDecode(md: Uint8Array): Map<string, number | boolean> | null {
  if (md.length < 2 || md[0] !== 0xff || md[1] !== 0xff) return null;
  const data = md.subarray(2);
  if (data.length !== 14) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const result = new Map<string, number | boolean>();
  let i = 0;
  while (i < data.length) {
    const key = data[i]!;
    i += 1;
    if (key === 0x01 && i < data.length) {
      result.set('window_open', data[i] !== 0);
      i += 1;
    } else if (key === 0x02 && i < data.length) {
      result.set('humidity', data[i]!);
      i += 1;
    } else if (key === 0x03 && i + 1 < data.length) {
      result.set('temp', view.getInt16(i) / 10);
      i += 2;
    } else if (key === 0x04 && i + 3 < data.length) {
      const co2 = view.getUint32(i);
      if (co2 !== 0xffffffff) result.set('co2_ppm', co2);
      i += 4;
    } else if (key === 0x05 && i < data.length) {
      result.set('battery', data[i]!);
      i += 1;
    } else break;
  }
  return result.size === 0 ? null : result;
}
