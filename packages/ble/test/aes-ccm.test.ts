import { createCipheriv } from 'node:crypto';
import { CcmBlockCipher } from '@iotgw/ble';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** The reference: node:crypto's own AES-128-CCM. */
function nodeCcm(key: Uint8Array, nonce: Uint8Array, plain: Uint8Array, tagLength: number) {
  const c = createCipheriv('aes-128-ccm', key, nonce, { authTagLength: tagLength });
  const ciphertext = Buffer.concat([c.update(plain), c.final()]);
  return { ciphertext, mic: c.getAuthTag() };
}

describe('CcmBlockCipher (AES-CCM composed on one reusable AES-ECB cipher)', () => {
  it('decrypts exactly what node:crypto AES-128-CCM encrypts, for any key, nonce, length and tag size', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 13, maxLength: 13 }),
        fc.uint8Array({ minLength: 0, maxLength: 80 }),
        fc.constantFrom(4, 6, 8, 16),
        (key, nonce, plain, tagLength) => {
          const { ciphertext, mic } = nodeCcm(key, nonce, plain, tagLength);
          const engine = new CcmBlockCipher(key);
          expect(Buffer.from(engine.decrypt(nonce, ciphertext, mic) ?? [])).toEqual(Buffer.from(plain));
          // the same engine again (it is reused across adverts)
          expect(Buffer.from(engine.decrypt(nonce, ciphertext, mic) ?? [])).toEqual(Buffer.from(plain));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('refuses a tampered ciphertext, a tampered MIC, a wrong nonce and a wrong key', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 13, maxLength: 13 }),
        fc.uint8Array({ minLength: 1, maxLength: 40 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (key, nonce, plain, where, flip) => {
          const { ciphertext, mic } = nodeCcm(key, nonce, plain, 4);
          const engine = new CcmBlockCipher(key);
          const c2 = Buffer.from(ciphertext);
          c2[where % c2.length] = (c2[where % c2.length] as number) ^ flip;
          expect(engine.decrypt(nonce, c2, mic)).toBeUndefined();
          const m2 = Buffer.from(mic);
          m2[where % 4] = (m2[where % 4] as number) ^ flip;
          expect(engine.decrypt(nonce, ciphertext, m2)).toBeUndefined();
          const n2 = Buffer.from(nonce);
          n2[where % 13] = (n2[where % 13] as number) ^ flip;
          expect(engine.decrypt(n2, ciphertext, mic)).toBeUndefined();
          const k2 = Buffer.from(key);
          k2[where % 16] = (k2[where % 16] as number) ^ flip;
          expect(new CcmBlockCipher(k2).decrypt(nonce, ciphertext, mic)).toBeUndefined();
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('refuses malformed inputs instead of throwing', () => {
    const engine = new CcmBlockCipher(new Uint8Array(16));
    expect(engine.decrypt(new Uint8Array(12), new Uint8Array(4), new Uint8Array(4))).toBeUndefined();
    expect(engine.decrypt(new Uint8Array(13), new Uint8Array(4), new Uint8Array(3))).toBeUndefined();
  });
});
