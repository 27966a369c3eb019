import { buildRecordsTelegram, type MeterTelegramSpec } from './build-telegram.js';
import { int8, int16le, int32le } from './record-bytes.js';

export interface Multical21Values {
  readonly total_m3: number;
  readonly target_m3?: number;
  readonly flow_temperature_c?: number;
  readonly external_temperature_c?: number;
  /** The 16-bit info code of record 02FF20 (bit 0 DRY, 1 REVERSE, 2 LEAK, 3 BURST, durations above). */
  readonly infoCodes?: number;
}

export interface Multical21TelegramSpec extends MeterTelegramSpec {
  readonly values: Multical21Values;
}

/**
 * A Kamstrup Multical 21 cold-water telegram (KAM 0x1B 0x16, ELL-II, AES-CTR) with the record layout of the
 * published wmbusmeters test telegrams: 02FF20 status, 0413 total, 4413 target, 615B flow temperature,
 * 6167 external temperature (format signature 0xA8ED). Volumes in m3 (resolution 1 l).
 */
export function buildMultical21Telegram(spec: Multical21TelegramSpec): Uint8Array {
  const v = spec.values;
  return buildRecordsTelegram({ manufacturer: 'KAM', version: 0x1b, deviceType: 0x16 }, spec, [
    [[0x02, 0xff, 0x20], int16le(v.infoCodes ?? 0)],
    [[0x04, 0x13], int32le(v.total_m3 * 1000)],
    [[0x44, 0x13], int32le((v.target_m3 ?? v.total_m3) * 1000)],
    [[0x61, 0x5b], int8(v.flow_temperature_c ?? 0)],
    [[0x61, 0x67], int8(v.external_temperature_c ?? 0)],
  ]);
}
