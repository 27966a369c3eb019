import { type Cipheriv, createCipheriv } from 'node:crypto';

/**
 * AES-128-CCM decryption for short messages (RFC 3610; 13-byte nonce, so L = 2) built on one reusable
 * AES-ECB cipher per key from node:crypto. BTHome adverts are one or two blocks: a fresh
 * `createDecipheriv('aes-128-ccm')` per advert costs more than the AES work itself, while an ECB cipher
 * kept per key runs the same block encryptions with no set-up. Only the mode is composed here; AES is
 * node:crypto's. Verified against node:crypto's own AES-128-CCM by property tests.
 */
export class CcmBlockCipher {
  readonly #ecb: Cipheriv;

  constructor(key: Uint8Array) {
    this.#ecb = createCipheriv('aes-128-ecb', key, null);
    this.#ecb.setAutoPadding(false);
  }

  /** The plaintext, or undefined when the `tagLength`-byte MIC does not verify. No associated data. */
  decrypt(nonce: Uint8Array, ciphertext: Uint8Array, mic: Uint8Array): Uint8Array | undefined {
    const m = mic.length;
    const n = ciphertext.length;
    if (nonce.length !== 13 || m < 4 || m > 16 || m % 2 !== 0 || n > 0xffff) return undefined;
    const blocks = Math.ceil(n / 16);
    // One ECB call for everything that does not depend on the plaintext: the counter blocks A_0 … A_blocks
    // (flags L − 1 = 1 ‖ nonce ‖ counter, 2 bytes big-endian) and the first MAC block B_0
    // (flags 8·((M − 2) / 2) + (L − 1) ‖ nonce ‖ message length).
    const input = Buffer.allocUnsafe(16 * (blocks + 2));
    for (let i = 0; i <= blocks; i++) {
      const at = i * 16;
      input[at] = 0x01;
      input.set(nonce, at + 1);
      input[at + 14] = i >> 8;
      input[at + 15] = i & 0xff;
    }
    const b0 = 16 * (blocks + 1);
    input[b0] = 8 * ((m - 2) / 2) + 1;
    input.set(nonce, b0 + 1);
    input[b0 + 14] = n >> 8;
    input[b0 + 15] = n & 0xff;
    const out = this.#ecb.update(input);
    const plain = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) plain[i] = (ciphertext[i] as number) ^ (out[16 + i] as number);
    // CBC-MAC over the zero-padded plaintext, chained from E(B_0).
    let mac = out.subarray(b0, b0 + 16);
    const x = Buffer.allocUnsafe(16);
    for (let b = 0; b < blocks; b++) {
      for (let i = 0; i < 16; i++) {
        const p = b * 16 + i;
        x[i] = (mac[i] as number) ^ (p < n ? (plain[p] as number) : 0);
      }
      mac = this.#ecb.update(x);
    }
    let diff = 0;
    for (let i = 0; i < m; i++) diff |= (mac[i] as number) ^ (out[i] as number) ^ (mic[i] as number);
    return diff === 0 ? plain : undefined;
  }
}
