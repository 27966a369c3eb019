import type { DecodedRecord } from '../records/parse-records.js';
import type { RecordFunction } from '../records/record-header.js';
import { combinablePredicate } from './combinables.js';
import type { FieldSpec, MeasurementType, NrRange } from './driver-spec.js';
import { compileFormula, type Formula } from './formula.js';
import { intLikeNumber } from './int-like.js';
import { compileLookups } from './lookup.js';
import { recordRawNumber, recordRawUnsigned } from './record-raw.js';
import { defaultDisplayUnit, normalizeUnit, prettyUnit, recordDisplayUnit, unitConverter } from './units.js';
import { vifRangePredicate } from './vif-ranges.js';

/** One field of a driver file, compiled once: a record predicate, a value reader and its output name. */
export interface CompiledField {
  readonly spec: FieldSpec;
  /** Output name with unit suffix; may still hold {..._counter} templates. */
  readonly name: string;
  readonly templated: boolean;
  /** Display unit ('' for text). */
  readonly unit: string;
  /** The unit as readings carry it (kWh, m3/h, C; '' for text and dates). */
  readonly pretty: string;
  readonly hasMatcher: boolean;
  /** 1-based: which match to take when the matcher is not a range. */
  readonly index: number;
  /** A storage/tariff/subunit range: every matching record is taken. */
  readonly multiple: boolean;
  readonly hide: boolean;
  readonly status: boolean;
  readonly injectIntoStatus: boolean;
  readonly includeTplStatus: boolean;
  /** A `calculate` formula, evaluated after every matched field. */
  readonly formula?: Formula;
  matches(r: DecodedRecord): boolean;
  value(r: DecodedRecord): number | string | undefined;
  /** The output name for a matched record (templates filled in). */
  nameFor(r: DecodedRecord): string;
}

const FUNCTIONS: Record<Exclude<MeasurementType, 'Any'>, RecordFunction> = {
  Instantaneous: 'instantaneous',
  Maximum: 'maximum',
  Minimum: 'minimum',
  AtError: 'error',
};

function rangeOf(r: NrRange | undefined): readonly [number, number] {
  if (r === undefined) return [0, 0];
  return typeof r === 'number' ? [r, r] : r;
}

const TEMPLATE = /\{(storage|tariff|subunit)_counter(?:\s*([-+])\s*(\d+)\s*counter)?\}/g;
const REVERSED_TEMPLATE = /\{(\d+)\s*counter\s*-\s*(storage|tariff|subunit)_counter\}/g;

function fillTemplate(name: string, r: DecodedRecord): string {
  const nr = (which: string): number =>
    which === 'storage' ? r.storage : which === 'tariff' ? r.tariff : r.subunit;
  return name
    .replace(TEMPLATE, (_m, which: string, op?: string, n?: string) => {
      const v = nr(which);
      return String(op === undefined ? v : op === '-' ? v - Number(n) : v + Number(n));
    })
    .replace(REVERSED_TEMPLATE, (_m, n: string, which: string) => String(Number(n) - nr(which)));
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * A record date as wmbusmeters prints it: `date` YYYY-MM-DD, day or month 0 rolled back as the C library
 * does (2000-00-00 → 1999-11-30); `datetime` YYYY-MM-DD HH:MM as transmitted. An impossible date (all bits
 * set: "no date") gives undefined.
 */
export function pointInTime(v: number | string, unit: string, seconds = false): string | number | undefined {
  if (typeof v !== 'string') return v;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(v);
  if (m === null) return v;
  const [y, mo, d, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0)];
  if (mo > 12 || d > 31 || h > 23 || mi > 59) return undefined;
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi));
  const date = `${t.getUTCFullYear()}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())}`;
  if (unit === 'date') return date;
  // wmbusmeters prints a date-time as transmitted (2000-00-00 00:00 stays), a date normalised.
  if (unit === 'datetime')
    return `${m[1]}-${m[2]}-${m[3]} ${pad2(h)}:${pad2(mi)}${seconds && m[6] !== undefined ? `:${m[6]}` : ''}`;
  return v;
}

/** Compiles one field. Throws on facts the schema cannot check (an unknown VIF range); the caller reports. */
export function compileField(spec: FieldSpec): CompiledField {
  const quantity = spec.quantity;
  const unit = quantity === 'Text' ? '' : normalizeUnit(spec.displayUnit ?? defaultDisplayUnit[quantity]);
  // A date field already named …_date…/…_datetime… (meter_datetime_at_error) keeps its name.
  const named = quantity === 'PointInTime' && new RegExp(`(^|_)${unit}(_|$)`).test(spec.name);
  const name = unit === '' || named ? spec.name : `${spec.name}_${unit}`;
  const m = spec.match;
  const attributes = new Set(spec.attributes ?? []);
  let matches: (r: DecodedRecord) => boolean = () => false;
  let multiple = false;
  if (m !== undefined) {
    if (m.difvifkey !== undefined) {
      const key = m.difvifkey.toLowerCase();
      matches = (r) => r.key === key;
    } else {
      const fn =
        m.measurementType === undefined || m.measurementType === 'Any'
          ? undefined
          : FUNCTIONS[m.measurementType];
      const range = m.vifRange === undefined ? undefined : vifRangePredicate(m.vifRange);
      if (m.vifRange !== undefined && range === undefined) throw new Error(`unknown vifRange ${m.vifRange}`);
      const vifRaw = m.vifRaw === undefined ? undefined : intLikeNumber(m.vifRaw);
      const [s0, s1] = rangeOf(m.storage);
      const [t0, t1] = rangeOf(m.tariff);
      const [u0, u1] = rangeOf(m.subunit);
      multiple = s0 !== s1 || t0 !== t1 || u0 !== u1;
      const comb = combinablePredicate(m.combinable ?? [], (m.combinableRaw ?? []).map(intLikeNumber));
      matches = (r) =>
        (fn === undefined || r.function === fn) &&
        (range === undefined || range(r.vif)) &&
        (vifRaw === undefined || r.vif === vifRaw) &&
        r.storage >= s0 &&
        r.storage <= s1 &&
        r.tariff >= t0 &&
        r.tariff <= t1 &&
        r.subunit >= u0 &&
        r.subunit <= u1 &&
        comb(r.combinableRaw);
    }
  }
  const signed = spec.difSignedness !== 'Unsigned';
  const scale = spec.forceScale ?? 1;
  const lookups = spec.lookups && spec.lookups.length > 0 ? compileLookups(spec.lookups) : undefined;
  const converters = new Map<string, ((v: number) => number) | undefined>();
  let value: (r: DecodedRecord) => number | string | undefined;
  if (lookups !== undefined) value = (r) => lookups(recordRawUnsigned(r));
  else if (quantity === 'Text')
    value = (r) => {
      if (typeof r.value === 'string')
        return spec.readableString === 'Reversed' ? [...r.value].reverse().join('') : r.value;
      return reversedHex(r.raw);
    };
  else if (quantity === 'PointInTime') value = (r) => pointInTime(r.value, unit, spec.seconds === true);
  else if (spec.vifScaling === 'None')
    value = (r) => {
      const v = recordRawNumber(r, signed);
      return v === undefined ? undefined : v * scale;
    };
  else
    value = (r) => {
      if (typeof r.value !== 'number') return undefined;
      let conv = converters.get(r.unit);
      if (!converters.has(r.unit)) {
        conv = unitConverter(recordDisplayUnit(r.unit), unit);
        converters.set(r.unit, conv);
      }
      if (conv === undefined) return undefined;
      let v = r.value;
      if (!signed && v < 0) {
        // Read as unsigned: the same scaling applied to the unsigned integer.
        const sr = recordRawNumber(r, true);
        const ur = recordRawNumber(r, false);
        if (sr !== undefined && ur !== undefined && sr !== 0) v = (v * ur) / sr;
      }
      return conv(v) * scale;
    };
  const templated = name.includes('{');
  const formula =
    spec.calculate === undefined ? undefined : compileFormula(spec.calculate.replace(/\s+/g, ' '));
  return {
    spec,
    name,
    templated,
    unit,
    pretty: quantity === 'Text' || quantity === 'PointInTime' ? '' : prettyUnit(unit),
    hasMatcher: m !== undefined,
    index: m?.index ?? 1,
    multiple,
    hide: attributes.has('HIDE'),
    status: attributes.has('STATUS'),
    injectIntoStatus: attributes.has('INJECT_INTO_STATUS'),
    includeTplStatus: attributes.has('INCLUDE_TPL_STATUS'),
    ...(formula === undefined ? {} : { formula }),
    matches,
    value,
    nameFor: templated ? (r) => fillTemplate(name, r) : () => name,
  };
}

/** Data bytes most significant first, upper-case hex: how a number reads as text (versions, ids). */
function reversedHex(raw: string): string {
  let out = '';
  for (let i = raw.length - 2; i >= 0; i -= 2) out += raw.slice(i, i + 2);
  return out.toUpperCase();
}
