/**
 * One line of a field-by-field analysis, like `wmbusmeters --analyze`: an offset in the (stripped,
 * decrypted) telegram, the bytes, a mark and what they mean. Lines without an offset are summary lines.
 */
export interface AnalysisLine {
  readonly offset?: number;
  readonly hex?: string;
  /** C! = decoded into a driver value, C? = a record no driver value uses, CE = still encrypted. */
  readonly mark?: 'C!' | 'C?' | 'CE';
  readonly field: string;
  readonly text?: string;
}

/** Text layout of wmbusmeters' analyzer: `017   : 576c payload crc (calculated 576c OK)`. */
export function formatAnalysis(lines: readonly AnalysisLine[]): string {
  return lines
    .map((l) => {
      if (l.offset === undefined) return `${l.field.padEnd(14)}: ${l.text ?? ''}`;
      const mark = l.mark === undefined ? '  ' : l.mark;
      const text = l.text === undefined || l.text === '' ? '' : ` (${l.text})`;
      const hex = l.hex === undefined || l.hex === '' ? '' : `${l.hex} `;
      return `${String(l.offset).padStart(3, '0')} ${mark}: ${hex}${l.field}${text}`;
    })
    .join('\n');
}
