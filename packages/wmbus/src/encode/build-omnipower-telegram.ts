import { buildRecordsTelegram, type MeterTelegramSpec } from './build-telegram.js';
import { int32le } from './record-bytes.js';

export interface OmnipowerValues {
  readonly total_energy_consumption_kwh: number;
  readonly total_energy_production_kwh?: number;
  readonly current_power_consumption_kw?: number;
  readonly current_power_production_kw?: number;
}

export interface OmnipowerTelegramSpec extends MeterTelegramSpec {
  readonly values: OmnipowerValues;
}

/**
 * A real Kamstrup OmniPower telegram (KAM 0x30 0x02, ELL-II, AES-CTR): full frames are L = 0x2D, compact
 * ones (signature 0x8C13) L = 0x27, as the meter sends them. Energies in kWh (resolution 0.01), powers in kW
 * (0.001).
 */
export function buildOmnipowerTelegram(spec: OmnipowerTelegramSpec): Uint8Array {
  const v = spec.values;
  return buildRecordsTelegram({ manufacturer: 'KAM', version: 0x30, deviceType: 0x02 }, spec, [
    [[0x04, 0x04], int32le(v.total_energy_consumption_kwh * 100)],
    [[0x04, 0x84, 0x3c], int32le((v.total_energy_production_kwh ?? 0) * 100)],
    [[0x04, 0x2b], int32le((v.current_power_consumption_kw ?? 0) * 1000)],
    [[0x04, 0xab, 0x3c], int32le((v.current_power_production_kw ?? 0) * 1000)],
  ]);
}
