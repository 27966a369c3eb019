/** A driver's lookup for the manufacturer bits (0xE0) of the TPL status byte, or for all of it. */
export interface TplStatusLookup {
  readonly touchesStandardBits: boolean;
  translate(bits: bigint): string;
}

/** Words for the TPL status byte as wmbusmeters prints them ('' when all clear). EN 13757-7 bits 0..4. */
export function tplStatusWords(sts: number, mfct?: TplStatusLookup): string {
  if (mfct?.touchesStandardBits) return mfct.translate(BigInt(sts));
  if (mfct !== undefined) {
    const std = tplStatusWords(sts & 0x1f);
    const own = sts & 0xe0 ? mfct.translate(BigInt(sts & 0xe0)) : '';
    return [std, own === 'OK' ? '' : own].filter((w) => w !== '').join(' ');
  }
  const words: string[] = [];
  const app = sts & 0x03;
  if (app === 1) words.push('BUSY');
  if (app === 2) words.push('ERROR');
  if (app === 3) words.push('ALARM');
  if (sts & 0x04) words.push('POWER_LOW');
  if (sts & 0x08) words.push('PERMANENT_ERROR');
  if (sts & 0x10) words.push('TEMPORARY_ERROR');
  if (sts & 0xe0) words.push(`UNKNOWN_${(sts & 0xe0).toString(16).toUpperCase().padStart(2, '0')}`);
  return words.join(' ');
}
