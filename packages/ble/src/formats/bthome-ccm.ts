import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';

/** BTHome v2 service UUID 0xFCD2 as sent on air (little-endian), part of the nonce. */
const UUID_BYTES = [0xd2, 0xfc] as const;
export const BTHOME_MIC_SIZE = 4;
export const BTHOME_COUNTER_SIZE = 4;

/** Nonce (13 bytes) = MAC in display order ‖ d2 fc ‖ device-info byte as sent ‖ counter bytes as sent. */
export function bthomeNonce(mac: Uint8Array, info: number, counter: Uint8Array): Uint8Array {
  const nonce = Buffer.allocUnsafe(13);
  nonce.set(mac, 0);
  nonce[6] = UUID_BYTES[0];
  nonce[7] = UUID_BYTES[1];
  nonce[8] = info;
  nonce.set(counter, 9);
  return nonce;
}

/** A Buffer view of the same bytes (no copy): node:crypto takes Buffers about 25 % faster. */
function view(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** AES-128-CCM, 4-byte MIC, optional associated data. `undefined` when the MIC does not verify. */
export function ccmDecrypt(
  key: KeyObject | Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  mic: Uint8Array,
  aad?: Uint8Array,
): Uint8Array | undefined {
  try {
    const decipher = createDecipheriv('aes-128-ccm', key, view(nonce), { authTagLength: BTHOME_MIC_SIZE });
    decipher.setAuthTag(view(mic));
    if (aad !== undefined) decipher.setAAD(view(aad), { plaintextLength: ciphertext.length });
    const plain = decipher.update(view(ciphertext));
    decipher.final();
    return plain;
  } catch {
    return undefined;
  }
}

/** AES-128-CCM encryption as BTHome v2 senders do it: ciphertext and 4-byte MIC. */
export function ccmEncrypt(
  key: KeyObject | Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad?: Uint8Array,
): { ciphertext: Uint8Array; mic: Uint8Array } {
  const cipher = createCipheriv('aes-128-ccm', key, nonce, { authTagLength: BTHOME_MIC_SIZE });
  if (aad !== undefined) cipher.setAAD(aad, { plaintextLength: plaintext.length });
  const ciphertext = cipher.update(plaintext);
  cipher.final();
  return { ciphertext, mic: cipher.getAuthTag() };
}
