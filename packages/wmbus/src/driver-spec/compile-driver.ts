import type {
  DriverField,
  ExtractContext,
  ExtractedValues,
  FieldValue,
  MeterDriver,
} from '../drivers/meter-driver.js';
import type { DecodedRecord } from '../records/parse-records.js';
import { type CompiledField, compileField, pointInTime } from './compile-field.js';
import type { DriverSpec } from './driver-spec.js';
import { fieldLibrary, libraryName } from './field-library.js';
import type { FormulaValue } from './formula.js';
import { intLikeNumber } from './int-like.js';
import { compileLookups } from './lookup.js';
import { type TplStatusLookup, tplStatusWords } from './tpl-status.js';
import { prettyUnit, unitConverter } from './units.js';

const MEDIA: Record<string, string> = {
  WaterMeter: 'water',
  HeatMeter: 'heat',
  HeatCostAllocationMeter: 'heat cost allocation',
  ElectricityMeter: 'electricity',
  GasMeter: 'gas',
  SmokeDetector: 'smoke detector',
  TempHygroMeter: 'room sensor',
  PressureSensor: 'pressure',
  PulseCounter: 'other',
  DoorWindowDetector: 'other',
  Repeater: 'repeater',
  HeatCoolingMeter: 'heat/cooling load',
  WaterLeakDetector: 'water',
};

/** The record quantity a field reads (as meter configs name it: volume, volume_flow, flow_temperature …). */
const RANGE_QUANTITY: Record<string, string> = {
  Volume: 'volume',
  AnyVolumeVIF: 'volume',
  VolumeFlow: 'volume_flow',
  FlowTemperature: 'flow_temperature',
  ReturnTemperature: 'return_temperature',
  ExternalTemperature: 'external_temperature',
  TemperatureDifference: 'temperature_difference',
  AnyEnergyVIF: 'energy',
  EnergyWh: 'energy',
  EnergyMJ: 'energy',
  AnyPowerVIF: 'power',
  PowerW: 'power',
  Date: 'date',
  DateTime: 'datetime',
  HeatCostAllocation: 'hca',
};

function recordQuantity(f: CompiledField): string {
  const range = f.spec.match?.vifRange;
  if (range !== undefined && RANGE_QUANTITY[range] !== undefined) return RANGE_QUANTITY[range] as string;
  return f.spec.quantity === 'Flow' ? 'volume_flow' : f.spec.quantity.toLowerCase();
}

function asDriverField(f: CompiledField): DriverField {
  return {
    name: f.name,
    quantity: recordQuantity(f),
    unit: f.spec.quantity === 'Text' || f.spec.quantity === 'PointInTime' ? '' : prettyUnit(f.unit),
    info: f.spec.info ?? '',
    extract(records) {
      let n = 0;
      for (const r of records) {
        if (!f.matches(r)) continue;
        n++;
        if (!f.multiple && n !== f.index) continue;
        const value = f.value(r);
        if (value !== undefined) return { value, record: r };
      }
      return undefined;
    },
  };
}

/** A formula's result in the field's unit (dates as the field prints them); undefined when it does not fit. */
function formulaValue(f: CompiledField, r: FormulaValue): number | string | undefined {
  if ('date' in r) {
    const iso = r.date.toISOString();
    return pointInTime(`${iso.slice(0, 10)} ${iso.slice(11, 16)}`, f.unit);
  }
  if (f.spec.quantity === 'PointInTime' || !Number.isFinite(r.n)) return undefined;
  const conv = r.unit === 'counter' ? (v: number) => v : unitConverter(r.unit, f.unit);
  return conv === undefined ? undefined : conv(r.n);
}

function sortedWords(words: Iterable<string>): string {
  const set = new Set<string>();
  for (const w of words) for (const part of w.split(' ')) if (part !== '' && part !== 'OK') set.add(part);
  return set.size === 0 ? 'OK' : [...set].sort().join(' ');
}

/**
 * Compiles a validated driver spec into the MeterDriver the decoder runs: every matcher, unit conversion and
 * lookup is built here, once, so decoding a telegram only runs the prepared closures. Throws an Error naming
 * the field for what the schema cannot check (an unknown VIF range); loaders turn that into a report.
 */
export function compileDriver(spec: DriverSpec): MeterDriver {
  const library = (spec.library ?? []).flatMap((ref) => {
    const f = fieldLibrary[libraryName(ref)];
    const info = ref.includes('|') ? ref.slice(ref.indexOf('|') + 1) : undefined;
    return f === undefined ? [] : [info === undefined ? f : { ...f, info }];
  });
  const fields = [...library, ...spec.fields].map((f, i) => {
    try {
      return compileField(f);
    } catch (e) {
      throw new Error(`/fields/${i - library.length} (${f.name}): ${(e as Error).message}`);
    }
  });
  const matched = fields.filter((f) => f.hasMatcher);
  const tplLookups = spec.tplStatusLookups ?? [];
  const tplLookup: TplStatusLookup | undefined =
    tplLookups.length === 0
      ? undefined
      : {
          touchesStandardBits: tplLookups.some((l) =>
            l.map.some((m) => (intLikeNumber(m.value) & 0x1f) !== 0),
          ),
          translate: compileLookups(tplLookups),
        };
  const calculated = fields.filter((f) => f.formula !== undefined);
  const statusFields = fields.filter((f) => f.status || f.includeTplStatus);
  const injected = fields.filter((f) => f.injectIntoStatus);
  const extract = (records: readonly DecodedRecord[], context: ExtractContext): ExtractedValues => {
    const values: Record<string, number | string> = {};
    const units: Record<string, string> = {};
    const used = new Map<string, FieldValue>();
    const hidden = new Map<string, number | string>();
    const deferred: Array<{ f: CompiledField; name: string; r?: DecodedRecord }> = [];
    for (const f of matched) {
      let n = 0;
      for (const r of records) {
        if (!f.matches(r)) continue;
        n++;
        if (!f.multiple && n !== f.index) continue;
        const name = f.nameFor(r);
        if (f.formula !== undefined) {
          // A matcher with a formula: the formula gives the value, once per matched record.
          deferred.push({ f, name, r });
          if (!f.multiple) break;
          continue;
        }
        const value = f.value(r);
        if (value === undefined || (typeof value === 'number' && !Number.isFinite(value))) continue;
        if (f.hide) hidden.set(name, value);
        else {
          values[name] = value;
          if (f.pretty !== '' && typeof value === 'number') units[name] = f.pretty;
          used.set(name, { value, record: r });
        }
        if (f.status || f.injectIntoStatus) hidden.set(`\u0000${f.name}`, value);
        if (!f.multiple) break;
      }
    }
    for (const f of calculated) if (!f.hasMatcher) deferred.push({ f, name: f.name });
    for (const { f, name, r } of deferred) {
      const result = f.formula?.((n) => {
        if (r !== undefined) {
          if (n === 'storage_counter') return r.storage;
          if (n === 'tariff_counter') return r.tariff;
          if (n === 'subunit_counter') return r.subunit;
        }
        return values[n] ?? hidden.get(n);
      });
      const value = result === undefined ? undefined : formulaValue(f, result);
      if (value === undefined) continue;
      if (f.hide) hidden.set(name, value);
      else {
        values[name] = value;
        if (f.pretty !== '' && typeof value === 'number') units[name] = f.pretty;
      }
    }
    for (const f of statusFields) {
      const words: string[] = [];
      const own = hidden.get(`\u0000${f.name}`);
      if (typeof own === 'string') words.push(own);
      for (const g of injected) {
        const v = hidden.get(`\u0000${g.name}`);
        if (typeof v === 'string') words.push(v);
      }
      if (f.includeTplStatus && context.tplStatus !== undefined)
        words.push(tplStatusWords(context.tplStatus, tplLookup));
      values[f.name] = sortedWords(words);
    }
    return { values, units, used };
  };
  return {
    name: spec.name,
    aliases: spec.aliases ?? [],
    description: spec.description ?? '',
    media: spec.media ?? MEDIA[spec.meterType ?? ''] ?? 'other',
    detect: spec.detect.map((d) => ({
      manufacturer: d.mfct,
      version: d.version === '*' ? -1 : intLikeNumber(d.version),
      deviceType: intLikeNumber(d.type),
    })),
    compactFormats: spec.compactFormats ?? [],
    fields: fields.filter((f) => !f.hide && !f.status && !f.includeTplStatus).map(asDriverField),
    extract,
    tests: spec.tests ?? [],
    ...(spec.source === undefined ? {} : { source: spec.source }),
  };
}
