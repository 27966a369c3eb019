import { fail, type Result } from '../result.js';
import { parseRecordHeader, type RecordFunction, type VifTable } from './record-header.js';
import { readRecordData } from './record-value.js';

/** One decoded DIF/VIF data record, generic enough that an unknown OMS meter is still readable. */
export interface DecodedRecord {
  /** Offset of the DIF in the (decrypted) telegram, or in the reconstructed stream of a compact frame. */
  readonly offset: number;
  /** The DIF..VIFE bytes, hex: wmbusmeters' difvif key (e.g. 04843c). */
  readonly key: string;
  readonly function: RecordFunction;
  readonly storage: number;
  readonly tariff: number;
  readonly subunit: number;
  /** snake_case quantity: energy, power, volume, volume_flow, flow_temperature, date, … */
  readonly quantity: string;
  /** Normalised unit: kWh, MJ, m3, kg, kW, m3/h, kg/h, C, K, bar, h, s, … ('' for dimensionless). */
  readonly unit: string;
  /** Scaled value in `unit`; dates as YYYY-MM-DD[ HH:MM[:SS]], text and opaque data as strings. */
  readonly value: number | string;
  /** Combinable VIFE tokens, e.g. ['backward_flow']. */
  readonly combinable: readonly string[];
  /** The VIF as wmbusmeters numbers it (0x7Dxx for VIF FD xx, …): what driver VIF ranges match. */
  readonly vif: number;
  /** Raw combinable VIFE codes, as driver `combinableRaw` matchers name them (0x7F01 for FF 01). */
  readonly combinableRaw: readonly number[];
  readonly vifTable: VifTable;
  /** What the VIF says as transmitted, e.g. "Energy 10^1 Wh". */
  readonly description: string;
  /** Data bytes as transmitted, hex. */
  readonly raw: string;
  /** Offset and length of the data bytes. */
  readonly dataOffset: number;
  readonly dataLength: number;
}

/** Parses the record stream between `start` and `end`; 0x2F idle fillers are skipped. */
export function parseRecords(
  b: Uint8Array,
  start: number,
  end: number,
): Result<{ records: DecodedRecord[] }> {
  return parseRecordsInto([], b, start, end);
}

/**
 * wmbusmeters' tolerance: the records before a malformed one (trailing or proprietary bytes after the
 * standard records) are kept, and where it stopped is returned so the caller can show and count it.
 */
export function parseRecordsTolerant(
  b: Uint8Array,
  start: number,
  end: number,
): { records: DecodedRecord[]; stopped?: { offset: number; detail: string } } {
  const records: DecodedRecord[] = [];
  const r = parseRecordsInto(records, b, start, end);
  if (r.ok) return { records };
  const last = records.at(-1);
  const offset = last === undefined ? start : last.dataOffset + last.dataLength;
  return { records, stopped: { offset, detail: r.detail } };
}

function parseRecordsInto(
  records: DecodedRecord[],
  b: Uint8Array,
  start: number,
  end: number,
): Result<{ records: DecodedRecord[] }> {
  let i = start;
  while (i < end) {
    if (b[i] === 0x2f) {
      i++;
      continue;
    }
    const h = parseRecordHeader(b, i, end);
    if (!h.ok) return h;
    const header = h.header;
    const d = readRecordData(b, header.headerEnd, end, header);
    if (!d.ok) return d;
    records.push({
      offset: i,
      key: header.key,
      function: header.function,
      storage: header.storage,
      tariff: header.tariff,
      subunit: header.subunit,
      quantity: header.info.quantity,
      unit: header.info.unit,
      value: d.data.value,
      combinable: header.combinable,
      vif: header.vif,
      combinableRaw: header.combinableRaw,
      vifTable: header.table,
      description: header.info.description,
      raw: d.data.raw,
      dataOffset: header.headerEnd,
      dataLength: d.data.length,
    });
    i = header.headerEnd + d.data.length;
    if (header.manufacturerData) break;
  }
  if (i > end) return fail('WMBUS_ERR_RECORDS', 'record stream overruns the telegram');
  return { ok: true, records };
}
