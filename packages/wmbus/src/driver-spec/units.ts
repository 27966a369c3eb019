import type { QuantityName } from './driver-spec.js';

/** The unit wmbusmeters prints a quantity in unless the field names another (its suffix: total + m3). */
export const defaultDisplayUnit: Readonly<Record<QuantityName, string>> = {
  Energy: 'kwh',
  Reactive_Energy: 'kvarh',
  Apparent_Energy: 'kvah',
  Power: 'kw',
  Reactive_Power: 'kvar',
  Apparent_Power: 'kva',
  Volume: 'm3',
  Flow: 'm3h',
  Temperature: 'c',
  RelativeHumidity: 'rh',
  HCA: 'hca',
  Mass: 'kg',
  Pressure: 'bar',
  PointInTime: 'datetime',
  Time: 'h',
  Voltage: 'v',
  Amperage: 'a',
  Frequency: 'hz',
  Angle: 'deg',
  Dimensionless: 'counter',
  Text: 'txt',
};

/** Display unit → [dimension, factor to the dimension's base unit]. */
const UNITS: Record<string, readonly [string, number]> = {
  kwh: ['energy', 1],
  wh: ['energy', 0.001],
  mwh: ['energy', 1000],
  mj: ['energy', 1 / 3.6],
  gj: ['energy', 1000 / 3.6],
  kvarh: ['energy', 1],
  kvah: ['energy', 1],
  kw: ['power', 1],
  w: ['power', 0.001],
  mw: ['power', 1000],
  mjh: ['power', 1 / 3.6],
  jh: ['power', 1 / 3.6e6],
  kvar: ['power', 1],
  kva: ['power', 1],
  m3: ['volume', 1],
  l: ['volume', 0.001],
  m3h: ['flow', 1],
  lh: ['flow', 0.001],
  h: ['time', 1],
  min: ['time', 1 / 60],
  s: ['time', 1 / 3600],
  d: ['time', 24],
  month: ['time', (365.2425 * 24) / 12],
  y: ['time', 365.2425 * 24],
  kg: ['mass', 1],
  t: ['mass', 1000],
};

/** The normalised unit of a decoded record (vif-table.ts) as a display unit name. */
const RECORD_UNITS: Record<string, string> = {
  kWh: 'kwh',
  MJ: 'mj',
  m3: 'm3',
  'm3/h': 'm3h',
  kW: 'kw',
  h: 'h',
  s: 's',
  d: 'd',
  kg: 'kg',
  C: 'c',
  K: 'c',
  V: 'v',
  A: 'a',
  bar: 'bar',
  '%': 'rh',
  kVARh: 'kvarh',
  dBm: 'dbm',
};

export function recordDisplayUnit(recordUnit: string): string {
  return RECORD_UNITS[recordUnit] ?? '';
}

/**
 * A converter from a record's unit to `to`, built once per (field, record unit). Same dimension: a factor;
 * temperatures: °C → °F / K; a dimensionless record or an equal unit: unchanged; otherwise undefined.
 */
export function unitConverter(from: string, to: string): ((v: number) => number) | undefined {
  if (from === to || from === '') return (v) => v;
  if (from === 'c' && to === 'f') return (v) => (v * 9) / 5 + 32;
  if (from === 'c' && to === 'k') return (v) => v + 273.15;
  const a = UNITS[from];
  const b = UNITS[to];
  if (a === undefined || b === undefined) return undefined;
  if (a[0] !== b[0]) return undefined;
  const f = a[1] / b[1];
  return f === 1 ? (v) => v : (v) => v * f;
}

export function isKnownDisplayUnit(unit: string): boolean {
  return (
    unit in UNITS ||
    [
      'c',
      'f',
      'k',
      'v',
      'a',
      'hz',
      'bar',
      'pa',
      'rh',
      'hca',
      'txt',
      'deg',
      'rad',
      'counter',
      'factor',
      'nr',
      'pct',
      'ppm',
      'date',
      'datetime',
      'time',
      'ut',
      'utc',
      'dbm',
      'm3c',
      'm3ch',
    ].includes(unit)
  );
}

const PRETTY: Record<string, string> = {
  kwh: 'kWh',
  wh: 'Wh',
  mwh: 'MWh',
  mj: 'MJ',
  gj: 'GJ',
  kvarh: 'kVARh',
  kvah: 'kVAh',
  kw: 'kW',
  w: 'W',
  mw: 'MW',
  mjh: 'MJ/h',
  kvar: 'kVAR',
  kva: 'kVA',
  m3h: 'm3/h',
  lh: 'l/h',
  c: 'C',
  f: 'F',
  k: 'K',
  v: 'V',
  a: 'A',
  hz: 'Hz',
  rh: '%RH',
  dbm: 'dBm',
};

/** The unit as readings and meter configs carry it (kWh, m3/h, C), from a display unit name (kwh, m3h, c). */
export function prettyUnit(displayUnit: string): string {
  return PRETTY[displayUnit] ?? displayUnit;
}

/** wmbusmeters' unit identifiers as some driver files spell them (DateLT, KWH) → display unit names. */
const ALIASES: Record<string, string> = {
  datelt: 'date',
  datetimelt: 'datetime',
  timelt: 'time',
  datetimeutc: 'utc',
  unixtimestamp: 'ut',
  degree: 'deg',
  number: 'nr',
  percentage: 'pct',
  volt: 'v',
  ampere: 'a',
  second: 's',
  minute: 'min',
  hour: 'h',
  day: 'd',
  year: 'y',
};

export function normalizeUnit(unit: string): string {
  const u = unit.toLowerCase();
  return ALIASES[u] ?? u;
}
