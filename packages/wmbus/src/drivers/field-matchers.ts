import type { DecodedRecord } from '../records/parse-records.js';
import type { RecordFunction } from '../records/record-header.js';
import type { DriverField, FieldValue } from './meter-driver.js';

/**
 * Which record a field takes: the first one that matches. Defaults follow wmbusmeters' matchers:
 * instantaneous, storage 0, tariff 0, subunit 0 and no combinable VIFE unless the matcher says otherwise.
 */
export interface RecordMatch {
  readonly quantity: string;
  readonly function?: RecordFunction | 'any';
  readonly storage?: number | 'any';
  readonly tariff?: number | 'any';
  readonly subunit?: number | 'any';
  /** Exact set of combinable VIFE tokens, or 'any'. */
  readonly combinable?: readonly string[] | 'any';
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

export function matchesRecord(r: DecodedRecord, m: RecordMatch): boolean {
  if (r.quantity !== m.quantity) return false;
  const fn = m.function ?? 'instantaneous';
  if (fn !== 'any' && r.function !== fn) return false;
  const storage = m.storage ?? 0;
  if (storage !== 'any' && r.storage !== storage) return false;
  const tariff = m.tariff ?? 0;
  if (tariff !== 'any' && r.tariff !== tariff) return false;
  const subunit = m.subunit ?? 0;
  if (subunit !== 'any' && r.subunit !== subunit) return false;
  const comb = m.combinable ?? [];
  return comb === 'any' || sameSet(r.combinable, comb);
}

const CONVERSIONS: Record<string, number> = { 'MJ>kWh': 1 / 3.6, 'kWh>MJ': 3.6 };

/** Converts between the normalised units a quantity can arrive in; undefined when they do not convert. */
export function convertUnit(value: number, from: string, to: string): number | undefined {
  if (from === to) return value;
  const f = CONVERSIONS[`${from}>${to}`];
  return f === undefined ? undefined : value * f;
}

/** A numeric field: the first record matching `match`, converted to `unit`. */
export function numericField(name: string, unit: string, info: string, match: RecordMatch): DriverField {
  return {
    name,
    quantity: match.quantity,
    unit,
    info,
    extract(records) {
      for (const r of records) {
        if (typeof r.value !== 'number' || !matchesRecord(r, match)) continue;
        const v = convertUnit(r.value, r.unit, unit);
        if (v !== undefined) return { value: v, record: r };
      }
      return undefined;
    },
  };
}

/** A text field copied from the first record matching `match` (dates, for instance). */
export function textField(name: string, info: string, match: RecordMatch): DriverField {
  return {
    name,
    quantity: match.quantity,
    unit: '',
    info,
    extract(records) {
      const r = records.find((x) => matchesRecord(x, match));
      return r === undefined ? undefined : { value: String(r.value), record: r };
    },
  };
}

function recordByKey(records: readonly DecodedRecord[], keys: readonly string[]): DecodedRecord | undefined {
  for (const key of keys) {
    const r = records.find((x) => x.key === key);
    if (r !== undefined) return r;
  }
  return undefined;
}

function rawInt(r: DecodedRecord): number {
  return typeof r.value === 'number' ? r.value >>> 0 : 0;
}

export interface BitFlagsOptions {
  /** difvif keys to read, first present wins, each with its own bit names. */
  readonly sources: ReadonlyArray<{
    readonly key: string;
    readonly mask: number;
    readonly bits: ReadonlyArray<readonly [number, string]>;
  }>;
  /** Text when no flag is set. */
  readonly none: string;
}

/** A status text from flag bits, joined by spaces; unnamed set bits appear as ERROR_FLAGS_<hex>. */
export function bitFlagsField(name: string, info: string, options: BitFlagsOptions): DriverField {
  return {
    name,
    quantity: 'text',
    unit: '',
    info,
    extract(records) {
      for (const source of options.sources) {
        const r = recordByKey(records, [source.key]);
        if (r === undefined) continue;
        let v = rawInt(r) & source.mask;
        const names: string[] = [];
        for (const [bit, text] of source.bits) {
          if (v & (1 << bit)) {
            names.push(text);
            v &= ~(1 << bit);
          }
        }
        if (v !== 0) names.push(`ERROR_FLAGS_${v.toString(16).toUpperCase()}`);
        return { value: names.length === 0 ? options.none : names.join(' '), record: r };
      }
      return undefined;
    },
  };
}

/** A text from a bit range of a status record (value & mask) looked up in `map`. */
export function indexField(
  name: string,
  info: string,
  key: string,
  mask: number,
  map: ReadonlyArray<readonly [number, string]>,
): DriverField {
  return {
    name,
    quantity: 'text',
    unit: '',
    info,
    extract(records): FieldValue | undefined {
      const r = recordByKey(records, [key]);
      if (r === undefined) return undefined;
      const v = rawInt(r) & mask;
      const hit = map.find(([k]) => k === v);
      return { value: hit === undefined ? `0x${v.toString(16)}` : hit[1], record: r };
    },
  };
}
