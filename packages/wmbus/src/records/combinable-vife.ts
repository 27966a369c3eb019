/** Combinable (orthogonal) VIFE codes of EN 13757-3, as snake_case tokens drivers match on. */
const NAMED: Record<number, string> = {
  32: 'per_second',
  33: 'per_minute',
  34: 'per_hour',
  35: 'per_day',
  36: 'per_week',
  37: 'per_month',
  38: 'per_year',
  39: 'per_revolution',
  40: 'increment_per_input_pulse_0',
  41: 'increment_per_input_pulse_1',
  42: 'increment_per_output_pulse_0',
  43: 'increment_per_output_pulse_1',
  44: 'per_litre',
  45: 'per_m3',
  46: 'per_kg',
  47: 'per_kelvin',
  48: 'per_kwh',
  49: 'per_gj',
  50: 'per_kw',
  51: 'per_kelvin_litre',
  52: 'per_volt',
  53: 'per_ampere',
  54: 'multiplied_by_s',
  55: 'multiplied_by_s_per_v',
  56: 'multiplied_by_s_per_a',
  57: 'start_date_of',
  58: 'uncorrected_unit',
  59: 'forward_flow',
  60: 'backward_flow',
  61: 'non_metric_unit',
  62: 'value_at_base_conditions',
  63: 'obis_declaration',
  64: 'lower_limit',
  72: 'upper_limit',
  125: 'correction_factor',
  126: 'future_value',
  127: 'manufacturer_specific',
};

export interface CombinableVife {
  readonly token: string;
  /** Power of ten the value must be multiplied by (multiplicative correction factors). */
  readonly exp: number;
}

export function combinableVife(code: number): CombinableVife {
  const c = code & 0x7f;
  if (c <= 0x1f) return { token: 'error_code', exp: 0 };
  if (c >= 0x70 && c <= 0x77) return { token: 'correction_factor', exp: (c & 0x07) - 6 };
  if (c === 0x7d) return { token: 'correction_factor', exp: 3 };
  if (c >= 0x78 && c <= 0x7b) return { token: 'additive_correction', exp: 0 };
  return { token: NAMED[c] ?? `vife_${c.toString(16).padStart(2, '0')}`, exp: 0 };
}
