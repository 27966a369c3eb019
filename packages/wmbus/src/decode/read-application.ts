import { u16le } from '../bytes.js';
import { type CompactFormat, expandCompactData, formatSignatureHex } from '../compact/compact-format.js';
import type { DriverRegistry } from '../drivers/driver-registry.js';
import type { MeterDriver } from '../drivers/meter-driver.js';
import { type DecodedRecord, parseRecords, parseRecordsTolerant } from '../records/parse-records.js';
import { type Failure, fail } from '../result.js';
import type { MeterDecodeState } from './meter-decode-state.js';
import type { OpenedTelegram } from './open-telegram.js';

export interface CompactInfo {
  readonly signature: number;
  readonly dataCrc: number;
  /** Offset of the signature in the telegram. */
  readonly offset: number;
  readonly format?: CompactFormat;
  readonly source?: 'learned' | 'built-in';
  /** Where each record's data sits in the telegram. */
  readonly dataOffsets?: readonly number[];
}

export interface ApplicationData {
  readonly frame: 'full' | 'compact';
  readonly records: DecodedRecord[];
  /** What record offsets refer to: the telegram (full frame) or the rebuilt stream (compact frame). */
  readonly stream: Uint8Array;
  readonly compact?: CompactInfo;
  /** A tolerance applied (wmbusmeters-compatible), shown by the analyzer and carried in the reading. */
  readonly tolerated?: string;
}

export type ApplicationResult =
  | { readonly ok: true; readonly app: ApplicationData }
  | (Failure & { readonly compact?: CompactInfo });

/** Reads the records of an opened telegram: directly for a full frame, through a known format for a compact one. */
export function readApplication(
  opened: OpenedTelegram,
  context: { state?: MeterDecodeState; driver?: MeterDriver; drivers: DriverRegistry },
): ApplicationResult {
  const tpl = opened.tpl;
  const b = opened.plain;
  if (tpl === undefined) return fail('WMBUS_ERR_SHORT', 'no transport layer');
  if (tpl.kind !== 'compact') {
    const r = parseRecords(b, tpl.end, b.length);
    if (r.ok) return { ok: true, app: { frame: 'full', records: r.records, stream: b } };
    const t = parseRecordsTolerant(b, tpl.end, b.length);
    if (t.records.length === 0 || t.stopped === undefined) return r;
    return {
      ok: true,
      app: {
        frame: 'full',
        records: t.records,
        stream: b,
        tolerated: `${b.length - t.stopped.offset} trailing bytes at offset ${t.stopped.offset} ignored (${t.stopped.detail})`,
      },
    };
  }
  if (tpl.end + 4 > b.length) return fail('WMBUS_ERR_SHORT', 'compact frame without signature and data CRC');
  const signature = u16le(b, tpl.end);
  const dataCrc = u16le(b, tpl.end + 2);
  const base: CompactInfo = { signature, dataCrc, offset: tpl.end };
  const learned = context.state?.learnedFormat(signature);
  const builtIn = context.driver ? context.drivers.builtInFormat(context.driver, signature) : undefined;
  const format = learned ?? builtIn;
  if (format === undefined)
    return {
      ...fail(
        'WMBUS_ERR_UNKNOWN_FORMAT',
        `compact frame format signature ${formatSignatureHex(signature)} is not known yet (waiting for a full frame)`,
      ),
      compact: base,
    };
  const source = learned !== undefined ? 'learned' : 'built-in';
  const x = expandCompactData(format, b, tpl.end + 4, b.length, dataCrc);
  if (!x.ok) return { ...x, compact: { ...base, format, source } };
  const r = parseRecords(x.stream, 0, x.stream.length);
  if (!r.ok) return { ...r, compact: { ...base, format, source } };
  return {
    ok: true,
    app: {
      frame: 'compact',
      records: r.records,
      stream: x.stream,
      compact: { ...base, format, source, dataOffsets: x.dataOffsets },
    },
  };
}
