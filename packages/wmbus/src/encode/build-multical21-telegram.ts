import { concatBytes } from '../bytes.js';
import { buildEllTelegram, compactPayload, type DllCrcOption } from './build-telegram.js';
import { int8, int16le, int32le, recordStreams } from './record-bytes.js';

export interface Multical21Values {
  readonly total_m3: number;
  readonly target_m3?: number;
  readonly flow_temperature_c?: number;
  readonly external_temperature_c?: number;
  /** The 16-bit info code of record 02FF20 (bit 0 DRY, 1 REVERSE, 2 LEAK, 3 BURST, durations above). */
  readonly infoCodes?: number;
}

export interface Multical21TelegramSpec {
  readonly id: string;
  readonly key?: string | Uint8Array;
  readonly accessNumber: number;
  readonly values: Multical21Values;
  /** Compact frame with signature 0xA8ED instead of the full frame. */
  readonly compact: boolean;
  readonly sessionNumber?: number;
  readonly dllCrc?: DllCrcOption;
}

/**
 * A Kamstrup Multical 21 cold-water telegram (KAM 0x1B 0x16, ELL-II, AES-CTR) with the record layout of the
 * published wmbusmeters test telegrams: 02FF20 status, 0413 total, 4413 target, 615B flow temperature,
 * 6167 external temperature (format signature 0xA8ED). Volumes in m3 (resolution 1 l).
 */
export function buildMultical21Telegram(spec: Multical21TelegramSpec): Uint8Array {
  const v = spec.values;
  const { full, difvif, data } = recordStreams([
    [[0x02, 0xff, 0x20], int16le(v.infoCodes ?? 0)],
    [[0x04, 0x13], int32le(v.total_m3 * 1000)],
    [[0x44, 0x13], int32le((v.target_m3 ?? v.total_m3) * 1000)],
    [[0x61, 0x5b], int8(v.flow_temperature_c ?? 0)],
    [[0x61, 0x67], int8(v.external_temperature_c ?? 0)],
  ]);
  const payload = spec.compact
    ? compactPayload(difvif, full, data)
    : concatBytes([Uint8Array.of(0x78), full]);
  return buildEllTelegram({
    address: { manufacturer: 'KAM', id: spec.id, version: 0x1b, deviceType: 0x16 },
    accessNumber: spec.accessNumber,
    payload,
    ...(spec.key === undefined ? {} : { key: spec.key }),
    ...(spec.sessionNumber === undefined ? {} : { sessionNumber: spec.sessionNumber }),
    ...(spec.dllCrc === undefined ? {} : { dllCrc: spec.dllCrc }),
  });
}
