/** Combinable VIFE names as wmbusmeters' driver files spell them, with their (raw) code ranges (EN 13757-3). */
const COMBINABLES: Record<string, readonly [number, number]> = {
  Reserved: [0x00, 0x11],
  Average: [0x12, 0x12],
  InverseCompactProfile: [0x13, 0x13],
  RelativeDeviation: [0x14, 0x14],
  RecordErrorCodeMeterToController: [0x15, 0x1c],
  StandardConformantDataContent: [0x1d, 0x1d],
  CompactProfileWithRegister: [0x1e, 0x1e],
  CompactProfile: [0x1f, 0x1f],
  PerSecond: [0x20, 0x20],
  PerMinute: [0x21, 0x21],
  PerHour: [0x22, 0x22],
  PerDay: [0x23, 0x23],
  PerWeek: [0x24, 0x24],
  PerMonth: [0x25, 0x25],
  PerYear: [0x26, 0x26],
  PerRevolutionMeasurement: [0x27, 0x27],
  IncrPerInputPulseChannel0: [0x28, 0x28],
  IncrPerInputPulseChannel1: [0x29, 0x29],
  IncrPerOutputPulseChannel0: [0x2a, 0x2a],
  IncrPerOutputPulseChannel1: [0x2b, 0x2b],
  PerLitre: [0x2c, 0x2c],
  PerM3: [0x2d, 0x2d],
  PerKg: [0x2e, 0x2e],
  PerKelvin: [0x2f, 0x2f],
  PerKWh: [0x30, 0x30],
  PerGJ: [0x31, 0x31],
  PerKW: [0x32, 0x32],
  PerKelvinLitreW: [0x33, 0x33],
  PerVolt: [0x34, 0x34],
  PerAmpere: [0x35, 0x35],
  MultipliedByS: [0x36, 0x36],
  MultipliedBySDivV: [0x37, 0x37],
  MultipliedBySDivA: [0x38, 0x38],
  StartDateTimeOfAB: [0x39, 0x39],
  UncorrectedMeterUnit: [0x3a, 0x3a],
  ForwardFlow: [0x3b, 0x3b],
  BackwardFlow: [0x3c, 0x3c],
  ReservedNonMetric: [0x3d, 0x3d],
  ValueAtBaseCondC: [0x3e, 0x3e],
  ObisDeclaration: [0x3f, 0x3f],
  LowerLimit: [0x40, 0x40],
  ExceedsLowerLimit: [0x41, 0x41],
  UpperLimit: [0x48, 0x48],
  ExceedsUpperLimit: [0x49, 0x49],
  DurationExceedsLowerFirst: [0x50, 0x53],
  DurationExceedsLowerLast: [0x54, 0x57],
  DurationExceedsUpperFirst: [0x58, 0x5b],
  DurationExceedsUpperLast: [0x5c, 0x5f],
  DurationOfDFirst: [0x60, 0x63],
  DurationOfDLast: [0x64, 0x67],
  ValueDuringLowerLimitExceeded: [0x68, 0x68],
  LeakageValues: [0x69, 0x69],
  OverflowValues: [0x6a, 0x6a],
  ValueDuringUpperLimitExceeded: [0x6c, 0x6c],
  DateTimeOfDEFirstBegin: [0x6a, 0x6a],
  DateTimeOfDEFirstEnd: [0x6b, 0x6b],
  DateTimeOfDELastBegin: [0x6e, 0x6e],
  DateTimeOfDELastEnd: [0x6f, 0x6f],
  MultiplicativeCorrectionFactorForValue: [0x70, 0x77],
  AdditiveCorrectionConstant: [0x78, 0x7b],
  CombinableVIFExtension: [0x7c, 0x7c],
  MultiplicativeCorrectionFactorForValue103: [0x7d, 0x7d],
  FutureValue: [0x7e, 0x7e],
  MfctSpecific: [0x7f, 0x7f],
  AtPhase1: [0x7c01, 0x7c01],
  AtPhase2: [0x7c02, 0x7c02],
  AtPhase3: [0x7c03, 0x7c03],
  AtNeutral: [0x7c04, 0x7c04],
  BetweenPhaseL1AndL2: [0x7c05, 0x7c05],
  BetweenPhaseL2AndL3: [0x7c06, 0x7c06],
  BetweenPhaseL3AndL1: [0x7c07, 0x7c07],
  AtQuadrantQ1: [0x7c08, 0x7c08],
  AtQuadrantQ2: [0x7c09, 0x7c09],
  AtQuadrantQ3: [0x7c0a, 0x7c0a],
  AtQuadrantQ4: [0x7c0b, 0x7c0b],
  DeltaBetweenImportAndExport: [0x7c0c, 0x7c0c],
  AccumulationOfAbsoluteValue: [0x7c10, 0x7c10],
  DataPresentedWithTypeC: [0x7c11, 0x7c11],
  DataPresentedWithTypeD: [0x7c12, 0x7c12],
  Mfct00: [0x7f00, 0x7f00],
  Mfct01: [0x7f01, 0x7f01],
  Mfct02: [0x7f02, 0x7f02],
  Mfct03: [0x7f03, 0x7f03],
  Mfct04: [0x7f04, 0x7f04],
  Mfct05: [0x7f05, 0x7f05],
  Mfct06: [0x7f06, 0x7f06],
  Mfct07: [0x7f07, 0x7f07],
  Mfct08: [0x7f08, 0x7f08],
  Mfct21: [0x7f21, 0x7f21],
  Mfct72: [0x7f72, 0x7f72],
  Synthetic: [0x7f77, 0x7f77],
};

export const combinableNames: readonly string[] = [...Object.keys(COMBINABLES), 'Any'];

/** The name of a raw combinable code, as wmbusmeters names it ('' when none covers it). */
export function combinableName(raw: number): string {
  for (const [name, [from, to]] of Object.entries(COMBINABLES)) if (raw >= from && raw <= to) return name;
  return '';
}

export function isCombinableName(name: string): boolean {
  return name === 'Any' || name in COMBINABLES;
}

/**
 * A predicate on a record's raw combinable codes, with wmbusmeters' rule: a matcher that names no
 * combinable takes only records without any; one that names some takes records that carry all of them and
 * nothing else, unless it lists Any.
 */
export function combinablePredicate(
  named: readonly string[],
  raw: readonly number[],
): (recordRaw: readonly number[]) => boolean {
  if (named.length === 0 && raw.length === 0) return (r) => r.length === 0;
  const any = named.includes('Any');
  const wantNamed = named.filter((n) => n !== 'Any');
  return (r) => {
    for (const c of raw) if (!r.includes(c)) return false;
    const names = r.map(combinableName);
    for (const n of wantNamed) if (!names.includes(n)) return false;
    if (any) return true;
    if (wantNamed.length > 0) return names.every((n) => wantNamed.includes(n));
    return r.every((c) => raw.includes(c));
  };
}
