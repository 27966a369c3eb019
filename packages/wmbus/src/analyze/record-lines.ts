import type { FieldValue } from '../drivers/meter-driver.js';
import type { DecodedRecord } from '../records/parse-records.js';
import type { AnalysisLine } from './analysis-line.js';

const DATA_FIELD = [
  'no data',
  '8 bit integer',
  '16 bit integer',
  '24 bit integer',
  '32 bit integer',
  '32 bit real',
  '48 bit integer',
  '64 bit integer',
  'selection for readout',
  '2 digit BCD',
  '4 digit BCD',
  '6 digit BCD',
  '8 digit BCD',
  'variable length',
  '12 digit BCD',
  'special',
];

/** What a record's header says: data coding, function, storage/tariff/subunit, VIF and combinable VIFEs. */
export function describeRecordHeader(r: DecodedRecord): string {
  const dif = Number.parseInt(r.key.slice(0, 2), 16);
  const parts = [DATA_FIELD[dif & 0x0f] ?? 'data', r.function];
  if (r.storage !== 0) parts.push(`storage ${r.storage}`);
  if (r.tariff !== 0) parts.push(`tariff ${r.tariff}`);
  if (r.subunit !== 0) parts.push(`subunit ${r.subunit}`);
  parts.push(r.description);
  for (const c of r.combinable) parts.push(c);
  return parts.join(', ');
}

function valueText(r: DecodedRecord): string {
  const v = typeof r.value === 'number' ? String(r.value) : JSON.stringify(r.value);
  return r.unit === '' ? `${r.quantity} ${v}` : `${r.quantity} ${v} ${r.unit}`;
}

/** Lines for one record: its header at `headerOffset` (when it is in the telegram) and its data. */
export function recordLines(
  r: DecodedRecord,
  dataOffset: number,
  headerOffset: number | undefined,
  used: ReadonlyArray<readonly [string, FieldValue]>,
): AnalysisLine[] {
  const lines: AnalysisLine[] = [];
  if (headerOffset !== undefined)
    lines.push({ offset: headerOffset, hex: r.key, field: 'dif/vif', text: describeRecordHeader(r) });
  const mine = used.filter(([, fv]) => fv.record === r);
  const decoded = mine.map(([name, fv]) => `(${JSON.stringify(name)}:${JSON.stringify(fv.value)})`).join(' ');
  lines.push({
    offset: dataOffset,
    hex: r.raw,
    mark: mine.length > 0 ? 'C!' : 'C?',
    field: mine.length > 0 ? decoded : valueText(r),
    ...(headerOffset === undefined ? { text: describeRecordHeader(r) } : {}),
  });
  return lines;
}
