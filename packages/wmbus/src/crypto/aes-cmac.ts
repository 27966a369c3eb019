import { createCipheriv } from 'node:crypto';

function ecb(key: Uint8Array, block: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-128-ecb', key, null);
  c.setAutoPadding(false);
  return new Uint8Array(c.update(block));
}

function shiftLeft(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = (((b[i] ?? 0) << 1) | ((b[i + 1] ?? 0) >> 7)) & 0xff;
  if ((b[0] ?? 0) & 0x80) out[15] = (out[15] ?? 0) ^ 0x87;
  return out;
}

/** AES-128-CMAC (RFC 4493) of `message` under `key`: the 16-byte tag. */
export function aesCmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  const k1 = shiftLeft(ecb(key, new Uint8Array(16)));
  const k2 = shiftLeft(k1);
  const n = Math.max(1, Math.ceil(message.length / 16));
  const complete = message.length > 0 && message.length % 16 === 0;
  let x: Uint8Array = new Uint8Array(16);
  for (let b = 0; b < n; b++) {
    const block = new Uint8Array(16);
    block.set(message.subarray(b * 16, b * 16 + 16));
    if (b === n - 1) {
      if (complete) for (let i = 0; i < 16; i++) block[i] = (block[i] ?? 0) ^ (k1[i] ?? 0);
      else {
        block[message.length - b * 16] = 0x80;
        for (let i = 0; i < 16; i++) block[i] = (block[i] ?? 0) ^ (k2[i] ?? 0);
      }
    }
    for (let i = 0; i < 16; i++) block[i] = (block[i] ?? 0) ^ (x[i] ?? 0);
    x = ecb(key, block);
  }
  return x;
}

/**
 * OMS key derivation (KDF-A, security mode 7): CMAC(K, DC ‖ message counter ‖ meter id ‖ 07 × 7) with
 * DC 0x00 for the encryption key and 0x01 for the MAC key (meter to other device). Counter and id are the
 * bytes as transmitted (little-endian).
 */
export function deriveMode7Key(
  key: Uint8Array,
  dc: 0x00 | 0x01,
  counter: Uint8Array,
  id: Uint8Array,
): Uint8Array {
  const input = new Uint8Array(16).fill(0x07);
  input[0] = dc;
  input.set(counter.subarray(0, 4), 1);
  input.set(id.subarray(0, 4), 5);
  return aesCmac(key, input);
}
