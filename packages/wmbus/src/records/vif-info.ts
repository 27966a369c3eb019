/**
 * What a VIF means after normalisation: values are converted to one unit per quantity (kWh, MJ, m3, kg,
 * kW, m3/h, kg/h, C, K, bar, h, s, V, A) so that drivers and generic consumers never see 10^n Wh.
 * value = raw × mult × 10^exp.
 */
export interface VifInfo {
  /** snake_case quantity drivers match on: energy, volume, power, volume_flow, flow_temperature, … */
  readonly quantity: string;
  readonly unit: string;
  readonly exp: number;
  readonly mult: number;
  /** How the data bytes are read. */
  readonly kind: 'number' | 'date' | 'datetime' | 'text' | 'raw';
  /** Human description with the transmitted scale, e.g. "Energy 10^1 Wh". */
  readonly description: string;
}

export function vifInfo(
  quantity: string,
  unit: string,
  exp: number,
  description: string,
  mult = 1,
  kind: VifInfo['kind'] = 'number',
): VifInfo {
  return { quantity, unit, exp, mult, kind, description };
}

export function scaleText(power: number, unit: string): string {
  if (power === 0) return unit;
  if (power === -3 && unit === 'm3') return 'l';
  return `10^${power} ${unit}`;
}

export function unknownVif(description: string): VifInfo {
  return vifInfo('unknown', '', 0, description, 1, 'raw');
}

const DURATION: ReadonlyArray<readonly [string, number]> = [
  ['s', 1],
  ['min', 60],
  ['h', 3600],
  ['d', 86400],
];

/** A duration VIF (nn = seconds/minutes/hours/days), normalised to hours or seconds. */
export function durationVif(quantity: string, label: string, nn: number, toUnit: 'h' | 's'): VifInfo {
  const [name, seconds] = DURATION[nn & 3] ?? ['s', 1];
  const mult = toUnit === 'h' ? seconds / 3600 : seconds;
  return vifInfo(quantity, toUnit, 0, `${label} ${name}`, mult);
}
