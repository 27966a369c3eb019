import { concatBytes } from '../bytes.js';
import { buildEllTelegram, compactPayload, type DllCrcOption } from './build-telegram.js';
import { int32le, recordStreams } from './record-bytes.js';

export interface OmnipowerValues {
  readonly total_energy_consumption_kwh: number;
  readonly total_energy_production_kwh?: number;
  readonly current_power_consumption_kw?: number;
  readonly current_power_production_kw?: number;
}

export interface OmnipowerTelegramSpec {
  /** 8-digit meter id. */
  readonly id: string;
  /** AES-128 key (32 hex or 16 bytes); omitted = plaintext (SN security mode 0). */
  readonly key?: string | Uint8Array;
  readonly accessNumber: number;
  readonly values: OmnipowerValues;
  /** Compact frame (CI 0x79, signature 0x8C13) instead of a full one (CI 0x78). */
  readonly compact: boolean;
  readonly sessionNumber?: number;
  readonly dllCrc?: DllCrcOption;
}

/**
 * A real Kamstrup OmniPower telegram (KAM 0x30 0x02, ELL-II, AES-CTR): full frames are L = 0x2D, compact
 * ones L = 0x27, as the meter sends them. Energies in kWh (resolution 0.01), powers in kW (0.001).
 */
export function buildOmnipowerTelegram(spec: OmnipowerTelegramSpec): Uint8Array {
  const v = spec.values;
  const { full, difvif, data } = recordStreams([
    [[0x04, 0x04], int32le(v.total_energy_consumption_kwh * 100)],
    [[0x04, 0x84, 0x3c], int32le((v.total_energy_production_kwh ?? 0) * 100)],
    [[0x04, 0x2b], int32le((v.current_power_consumption_kw ?? 0) * 1000)],
    [[0x04, 0xab, 0x3c], int32le((v.current_power_production_kw ?? 0) * 1000)],
  ]);
  const payload = spec.compact
    ? compactPayload(difvif, full, data)
    : concatBytes([Uint8Array.of(0x78), full]);
  return buildEllTelegram({
    address: { manufacturer: 'KAM', id: spec.id, version: 0x30, deviceType: 0x02 },
    accessNumber: spec.accessNumber,
    payload,
    ...(spec.key === undefined ? {} : { key: spec.key }),
    ...(spec.sessionNumber === undefined ? {} : { sessionNumber: spec.sessionNumber }),
    ...(spec.dllCrc === undefined ? {} : { dllCrc: spec.dllCrc }),
  });
}
