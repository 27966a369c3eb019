import { type CompactFormat, compactFormatFromHex, difvifHex } from '../compact/compact-format.js';
import { AesEngine } from '../crypto/aes-engine.js';

/**
 * Everything decoding remembers about one meter, owned by the caller (one per meter): compact formats
 * learnt from full frames, the last-known values carried into every reading (as wmbusmeters does), and the
 * AES engine for the meter's key. Not shared between meters, never global.
 */
export class MeterDecodeState {
  readonly #formats = new Map<number, CompactFormat>();
  #values: Record<string, number | string> = {};
  #units: Record<string, string> = {};
  #aes: AesEngine | undefined;

  /** Signatures of the formats learnt so far. */
  learnedSignatures(): number[] {
    return [...this.#formats.keys()];
  }

  learnedFormat(signature: number): CompactFormat | undefined {
    return this.#formats.get(signature);
  }

  learnFormat(format: CompactFormat): void {
    this.#formats.set(format.signature, format);
  }

  /** The last-known values (a copy). */
  lastValues(): { values: Record<string, number | string>; units: Record<string, string> } {
    return { values: { ...this.#values }, units: { ...this.#units } };
  }

  /** Merges new values over the last-known ones and returns the merged set. */
  mergeValues(
    values: Record<string, number | string>,
    units: Record<string, string>,
  ): { values: Record<string, number | string>; units: Record<string, string> } {
    // Replaced, never mutated: a reading handed out earlier keeps its own values.
    this.#values = { ...this.#values, ...values };
    this.#units = { ...this.#units, ...units };
    return { values: this.#values, units: this.#units };
  }

  /** The AES engine for `key`, kept while the key stays the same. */
  aesFor(key: Uint8Array): AesEngine {
    if (this.#aes === undefined || !this.#aes.matches(key)) this.#aes = new AesEngine(key);
    return this.#aes;
  }

  /** Learnt formats as DIF/VIF hex, e.g. to persist them; restore with `restoreFormats`. */
  exportFormats(): string[] {
    return [...this.#formats.values()].map(difvifHex);
  }

  restoreFormats(difvifs: readonly string[]): void {
    for (const hex of difvifs) {
      const f = compactFormatFromHex(hex);
      if (f.ok) this.learnFormat(f.format);
    }
  }
}
