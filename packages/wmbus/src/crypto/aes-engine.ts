import { type Cipheriv, createCipheriv, createDecipheriv, type Decipheriv } from 'node:crypto';
import { aesCmac, deriveMode7Key } from './aes-cmac.js';

/**
 * AES-128 for one key, on node:crypto. Creating a cipher object per telegram costs more than the whole
 * decode (about 20 µs), so the engine keeps one ECB encryptor/decryptor per key and builds CTR and CBC from
 * it: ECB is stateless between blocks, so the same object serves every telegram. Owned by whoever owns the
 * key (a MeterDecodeState); nothing here is global.
 */
export class AesEngine {
  readonly #key: Uint8Array;
  #enc: Cipheriv | undefined;
  #dec: Decipheriv | undefined;

  constructor(key: Uint8Array) {
    this.#key = Uint8Array.from(key);
  }

  /** True when `key` holds the same 16 bytes as this engine's key. */
  matches(key: Uint8Array): boolean {
    if (key.length !== this.#key.length) return false;
    for (let i = 0; i < key.length; i++) if (key[i] !== this.#key[i]) return false;
    return true;
  }

  #encryptor(): Cipheriv {
    if (this.#enc === undefined) {
      this.#enc = createCipheriv('aes-128-ecb', this.#key, null);
      this.#enc.setAutoPadding(false);
    }
    return this.#enc;
  }

  #decryptor(): Decipheriv {
    if (this.#dec === undefined) {
      this.#dec = createDecipheriv('aes-128-ecb', this.#key, null);
      this.#dec.setAutoPadding(false);
    }
    return this.#dec;
  }

  /**
   * AES-CTR (encrypt = decrypt). The 16-byte counter block starts at `iv` and is incremented as a
   * big-endian number per block; a partial last block uses a shortened keystream.
   */
  ctr(iv: Uint8Array, data: Uint8Array): Uint8Array {
    const out = Uint8Array.from(data);
    this.ctrInto(iv, out, 0);
    return out;
  }

  /** AES-CTR in place over `buf` from `start` to its end (`iv` is used as scratch and left incremented). */
  ctrInto(iv: Uint8Array, buf: Uint8Array, start: number): void {
    const n = buf.length - start;
    if (n <= 0) return;
    const blocks = Math.ceil(n / 16);
    const counters = Buffer.allocUnsafe(blocks * 16);
    for (let b = 0; b < blocks; b++) {
      counters.set(iv, b * 16);
      for (let i = 15; i >= 0; i--) {
        iv[i] = ((iv[i] ?? 0) + 1) & 0xff;
        if (iv[i] !== 0) break;
      }
    }
    const stream = this.#encryptor().update(counters);
    for (let i = 0; i < n; i++) buf[start + i] = (buf[start + i] ?? 0) ^ (stream[i] ?? 0);
  }

  /** AES-CBC decryption of whole blocks (the caller checked `data.length % 16 === 0`). */
  cbcDecrypt(iv: Uint8Array, data: Uint8Array): Uint8Array {
    const plain = this.#decryptor().update(data);
    const out = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const prev = i < 16 ? (iv[i] ?? 0) : (data[i - 16] ?? 0);
      out[i] = (plain[i] ?? 0) ^ prev;
    }
    return out;
  }

  /** AES-CBC encryption of whole blocks, for the telegram builders. */
  cbcEncrypt(iv: Uint8Array, data: Uint8Array): Uint8Array {
    const out = new Uint8Array(data.length);
    let prev = Uint8Array.from(iv);
    for (let b = 0; b < data.length; b += 16) {
      const block = Buffer.alloc(16);
      for (let i = 0; i < 16; i++) block[i] = (data[b + i] ?? 0) ^ (prev[i] ?? 0);
      const c = this.#encryptor().update(block);
      out.set(c, b);
      prev = Uint8Array.from(c);
    }
    return out;
  }

  /**
   * Security mode 7 (OMS KDF-A): the session's encryption engine and a MAC function, derived from this key,
   * the AFL message counter and the meter id (both as transmitted).
   */
  mode7(counter: Uint8Array, id: Uint8Array): { enc: AesEngine; mac: (message: Uint8Array) => Uint8Array } {
    const enc = new AesEngine(deriveMode7Key(this.#key, 0x00, counter, id));
    const macKey = deriveMode7Key(this.#key, 0x01, counter, id);
    return { enc, mac: (message) => aesCmac(macKey, message) };
  }
}
